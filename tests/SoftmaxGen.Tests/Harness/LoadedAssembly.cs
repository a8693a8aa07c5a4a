using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace SoftmaxGen.Tests.Harness;

/// <summary>A compiled test assembly in a collectible load context, with its kernels bound to delegates.</summary>
public sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private LoadedAssembly(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    public Assembly Assembly { get; }

    public static LoadedAssembly From(Compilation compilation)
    {
        var (image, pdb) = Emit(compilation);
        return From(compilation.AssemblyName!, image, pdb);
    }

    /// <summary>Loads an assembly image (and its portable PDB) emitted earlier, e.g. by another process.</summary>
    public static LoadedAssembly From(string name, byte[] image, byte[] pdb)
    {
        var context = new AssemblyLoadContext("SoftmaxGen.Tests." + name, isCollectible: true);
        using var imageStream = new MemoryStream(image, writable: false);
        using var pdbStream = new MemoryStream(pdb, writable: false);
        return new LoadedAssembly(context, context.LoadFromStream(imageStream, pdbStream));
    }

    /// <summary>The assembly image and portable PDB of <paramref name="compilation"/>.</summary>
    public static (byte[] Image, byte[] Pdb) Emit(Compilation compilation)
    {
        using var image = new MemoryStream();
        using var pdb = new MemoryStream();
        EmitResult result = compilation.Emit(image, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
        {
            throw new Xunit.Sdk.XunitException("Emit failed:\n" + string.Join("\n", result.Diagnostics));
        }

        return (image.ToArray(), pdb.ToArray());
    }

    /// <summary>Binds the static method <paramref name="type"/>.<paramref name="method"/> to a delegate of type <typeparamref name="TDelegate"/>.</summary>
    public TDelegate Bind<TDelegate>(string type, string method)
        where TDelegate : Delegate => Bind<TDelegate>(Assembly.GetType(type, throwOnError: true)!, method);

    /// <summary>Binds a static method of <paramref name="t"/> (e.g. a closed generic type) to a delegate.</summary>
    public static TDelegate Bind<TDelegate>(Type t, string method)
        where TDelegate : Delegate
    {
        var candidates = t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m.Name == method)
            .ToList();
        foreach (MethodInfo m in candidates)
        {
            if (Delegate.CreateDelegate(typeof(TDelegate), m, throwOnBindFailure: false) is TDelegate d)
            {
                return d;
            }
        }

        throw new Xunit.Sdk.XunitException($"No method {t}.{method} matches {typeof(TDelegate).Name}.");
    }

    public void Dispose() => _context.Unload();
}
