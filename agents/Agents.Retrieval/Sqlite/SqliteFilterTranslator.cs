using System.Collections;
using System.Linq.Expressions;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.VectorData.ProviderServices;
using Microsoft.Extensions.VectorData.ProviderServices.Filter;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// Translates a LINQ filter (<c>r =&gt; r.Source == "a.md" &amp;&amp; r.Tags.Contains("faq")</c>) into a parameterised
/// SQLite WHERE clause. Values always travel as parameters, never as SQL text.
/// </summary>
internal sealed class SqliteFilterTranslator : FilterTranslatorBase
{
    private readonly StringBuilder _sql = new();
    private readonly List<SqliteParameter> _parameters = [];

    private SqliteFilterTranslator()
    {
    }

    /// <summary>Translates <paramref name="filter"/>; the clause refers to columns of the collection's table unqualified.</summary>
    /// <exception cref="NotSupportedException">The filter uses something SQLite filtering cannot express.</exception>
    public static (string Clause, IReadOnlyList<SqliteParameter> Parameters) Translate(LambdaExpression filter, CollectionModel model)
    {
        var translator = new SqliteFilterTranslator();
        var body = translator.PreprocessFilter(filter, model, new FilterPreprocessingOptions { SupportsParameterization = true });
        translator.Visit(body);
        return (translator._sql.ToString(), translator._parameters);
    }

    private void Visit(Expression node)
    {
        switch (node)
        {
            case BinaryExpression binary:
                VisitBinary(binary);
                break;
            case UnaryExpression { NodeType: ExpressionType.Not } not:
                _sql.Append("(NOT ");
                Visit(not.Operand);
                _sql.Append(')');
                break;
            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert:
                Visit(convert.Operand);
                break;
            case MethodCallExpression call when TryMatchContains(call, out var source, out var item):
                VisitContains(source, item, call);
                break;
            case var member when TryBindProperty(member, out var property):
                // A bare bool property in a condition position means "is true".
                _sql.Append(property.Type == typeof(bool) || property.Type == typeof(bool?) ? $"({Column(property)} = 1)" : Column(property));
                break;
            case ConstantExpression constant:
                AppendValue(constant.Value);
                break;
            case QueryParameterExpression parameter:
                AppendValue(parameter.Value);
                break;
            default:
                throw Unsupported(node);
        }
    }

    private void VisitBinary(BinaryExpression binary)
    {
        var op = binary.NodeType switch
        {
            ExpressionType.AndAlso => "AND",
            ExpressionType.OrElse => "OR",
            ExpressionType.Equal => "=",
            ExpressionType.NotEqual => "<>",
            ExpressionType.LessThan => "<",
            ExpressionType.LessThanOrEqual => "<=",
            ExpressionType.GreaterThan => ">",
            ExpressionType.GreaterThanOrEqual => ">=",
            _ => throw Unsupported(binary),
        };

        if (op is "=" or "<>" && (IsNull(binary.Right) || IsNull(binary.Left)))
        {
            _sql.Append('(');
            Visit(IsNull(binary.Right) ? binary.Left : binary.Right);
            _sql.Append(op == "=" ? " IS NULL)" : " IS NOT NULL)");
            return;
        }

        _sql.Append('(');
        VisitOperand(binary.Left);
        _sql.Append(' ').Append(op).Append(' ');
        VisitOperand(binary.Right);
        _sql.Append(')');
    }

    // In a comparison a bool property is a value, not a condition: r.Flag == false is "Flag" = 0.
    private void VisitOperand(Expression operand)
    {
        if (TryBindProperty(Unwrap(operand), out var property))
        {
            _sql.Append(Column(property));
            return;
        }

        Visit(operand);
    }

    private void VisitContains(Expression source, Expression item, Expression call)
    {
        if (TryBindProperty(Unwrap(source), out var tags))
        {
            // r.Tags.Contains("x"): the tag list is a JSON array.
            _sql.Append("(EXISTS (SELECT 1 FROM json_each(").Append(Column(tags)).Append(") WHERE value = ");
            Visit(item);
            _sql.Append("))");
            return;
        }

        if (TryBindProperty(Unwrap(item), out var property) && ValueOf(source) is IEnumerable values and not string)
        {
            // new[] { "a", "b" }.Contains(r.Source)
            var list = values.Cast<object?>().ToList();
            if (list.Count == 0)
            {
                // An empty list contains nothing: plain false, so that its negation is true (NOT of "IN (NULL)" is NULL).
                _sql.Append('0');
                return;
            }

            _sql.Append('(').Append(Column(property)).Append(" IN (");
            for (var i = 0; i < list.Count; i++)
            {
                _sql.Append(i == 0 ? string.Empty : ", ");
                AppendValue(list[i]);
            }

            _sql.Append("))");
            return;
        }

        throw Unsupported(call);
    }

    private void AppendValue(object? value)
    {
        var name = "$f" + _parameters.Count;
        _parameters.Add(new SqliteParameter(name, SqliteValueConverter.ToDatabase(value)));
        _sql.Append(name);
    }

    private static object? ValueOf(Expression expression) => Unwrap(expression) switch
    {
        ConstantExpression constant => constant.Value,
        QueryParameterExpression parameter => parameter.Value,
        var other => throw Unsupported(other),
    };

    private static bool IsNull(Expression expression) =>
        Unwrap(expression) is ConstantExpression { Value: null } or QueryParameterExpression { Value: null };

    private static Expression Unwrap(Expression expression) =>
        expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert ? Unwrap(convert.Operand) : expression;

    private static string Column(PropertyModel property) => SqliteSchema.Quote(property.StorageName);

    private static NotSupportedException Unsupported(Expression node) =>
        new($"The filter part '{node}' cannot be run on SQLite: use ==, !=, <, <=, >, >=, &&, ||, !, bool properties, list.Contains(property) or tags.Contains(value).");
}
