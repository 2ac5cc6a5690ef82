namespace Agents.Memory;

/// <summary>Counts tokens the way a particular model's tokenizer does.</summary>
public interface ITokenCounter
{
    int CountTokens(string text);
}
