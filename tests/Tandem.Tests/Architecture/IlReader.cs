using System.Reflection;
using System.Reflection.Emit;

namespace Tandem.Tests.Architecture;

/// <summary>What a method body uses, read from its IL: the methods it calls (or takes the address of) and the strings it loads.</summary>
internal static class IlReader
{
    private static readonly Dictionary<short, OpCode> OpCodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    public sealed record Use(MethodBase? Method, string? Text, Type? Type);

    public static IEnumerable<Use> Uses(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { yield break; }
        if (il is null) yield break;
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE) value = (short)(0xFE00 | il[i++]);
            if (!OpCodes.TryGetValue(value, out var op)) yield break;
            var size = Operand(op.OperandType, il, i);
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType or OperandType.InlineString)
            {
                var token = BitConverter.ToInt32(il, i);
                Use? use = null;
                try
                {
                    use = op.OperandType switch
                    {
                        OperandType.InlineString => new Use(null, module.ResolveString(token), null),
                        OperandType.InlineMethod => new Use(module.ResolveMethod(token, typeArgs, methodArgs), null, null),
                        OperandType.InlineType => new Use(null, null, module.ResolveType(token, typeArgs, methodArgs)),
                        _ => module.ResolveMember(token, typeArgs, methodArgs) switch
                        {
                            MethodBase m => new Use(m, null, null),
                            Type ty => new Use(null, null, ty),
                            _ => null,
                        },
                    };
                }
                catch (ArgumentException) { }
                if (use is not null) yield return use;
            }
            i += size;
        }
    }

    private static int Operand(OperandType t, byte[] il, int at) => t switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    /// <summary>Every method and constructor declared by the type, of any visibility.</summary>
    public static IEnumerable<MethodBase> Methods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));

    /// <summary>The namespace a type belongs to, for a nested (compiler-generated) type its outermost declaring type's.</summary>
    public static string Home(Type t)
    {
        while (t.DeclaringType is { } outer) t = outer;
        return t.Namespace ?? "";
    }
}
