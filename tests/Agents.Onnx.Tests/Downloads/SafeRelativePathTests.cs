using Agents.Onnx.Downloads;

namespace Agents.Onnx.Tests.Downloads;

public sealed class SafeRelativePathTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "agents-safe-path-root"));

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../model.onnx")]
    [InlineData("a/../../model.onnx")]
    [InlineData("a/./model.onnx")]
    [InlineData("a//model.onnx")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/model.onnx")]
    [InlineData("a\\..\\..\\model.onnx")]
    [InlineData("model.onnx:stream")]
    [InlineData("model\0.onnx")]
    [InlineData("a/")]
    public void Refuses_a_path_that_could_land_outside_the_root(string path) =>
        Assert.Null(SafeRelativePath.Resolve(Root, path));

    [Theory]
    [InlineData("model.onnx")]
    [InlineData("cpu_and_mobile/cpu-int4/model.onnx.data")]
    [InlineData("..hidden/model.onnx")]
    public void Places_a_plain_relative_path_under_the_root(string path) =>
        Assert.Equal(Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar)), SafeRelativePath.Resolve(Root, path));
}
