using System;
using System.Globalization;
using System.Linq;
using System.Text;
using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// [HierarchicalSoftmax]: the Huffman tree of the class counts (<see cref="HuffmanTree"/>) as one static byte table, and
/// the walks over it. The one-class forms walk up from the class's leaf (table Up: each leaf's and each non-root node's
/// parent and side); the all-classes form walks down once in breadth-first order (table Down: each node's two children),
/// computing each node's dot product once and keeping each node's path sum in the output slot of a leaf below it until that
/// leaf's own value is written (<see cref="HuffmanTree.Slot"/>), so it needs no scratch memory.
/// </summary>
internal sealed partial class KernelEmitter
{
    private HierarchySpec Hierarchy => _spec.Hierarchy!;

    private int ClassCount => Hierarchy.ClassCount;

    private int Dimension => Hierarchy.Dimension;

    /// <summary>The gradient form: two trailing spans.</summary>
    private bool HierarchyHasGradients => _spec.Signature!.Slots.Length == 5;

    /// <summary>The all-classes form.</summary>
    private bool HierarchyAllClasses => _spec.Form == KernelForm.Separate;

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private void EmitHierarchicalRemarks()
    {
        _w.Line("/// <remarks>");
        _w.Doc("para", KernelOperations.HierarchicalSoftmax.Formula);
        if (Hierarchy.Problem is { } problem)
        {
            _w.Doc("para", $"No kernel: CountsFile = \"{Hierarchy.CountsFile}\": {problem}. This body throws InvalidOperationException.");
            _w.Line("/// </remarks>");
            return;
        }

        HuffmanTree tree = HuffmanTree.Build(Hierarchy.Counts.AsSpan());
        long total = 0, weighted = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            total += Hierarchy.Counts[c];
            weighted += (long)Hierarchy.Counts[c] * tree.Depth[c];
        }

        string source = Hierarchy.CountsFile is { } file ? $" from the AdditionalFiles item \"{file}\"" : string.Empty;
        _w.Doc("para", $"K = {ClassCount} classes (the Huffman tree of their counts{source}: paths of {tree.Depth.Min()} to {tree.MaxDepth} nodes, " +
            $"{((double)weighted / total).ToString("0.##", CultureInfo.InvariantCulture)} on average over the counts), hidden size D = {Dimension}; " +
            $"hidden holds D values and nodeWeights (K − 1)·D = {Int((long)(ClassCount - 1) * Dimension)}, row n being internal node n (breadth-first from the root, node 0).");
        if (HierarchyHasGradients)
        {
            _w.Doc("para", "Gradients of the log-probability are ADDED to hiddenGradient and nodeWeightGradient (accumulated, so a batch sums " +
                "into them): ∂ log p/∂h = Σ s·σ(−s·d_n)·w_n and ∂ log p/∂w_n = s·σ(−s·d_n)·h over the path. The loss −log p has the " +
                "opposite sign: gradient descent on the loss subtracts these. The gradients must not overlap the inputs.");
        }
        else if (HierarchyAllClasses)
        {
            _w.Doc("para", "Writes log p(c | h) for every class c; each node's dot product is computed once (O(K·D)), and exp of the " +
                "log-probabilities sums to 1 up to rounding.");
        }

        _w.Doc("para", KernelOperations.HierarchicalSoftmax.StabilityNote!);
        _w.Doc("para", _facts.CanEmitSimd
            ? (IsFloat ? "Code path: the dot products on Vector512, else Vector256, else Vector128 (four accumulators), else scalar; log σ in double" +
                         (HierarchyAllClasses ? ", eight nodes at a time on double vectors." : ".")
                       : "Code path: the dot products on Vector512, else Vector256, else Vector128 (four accumulators), else scalar.")
            : "Code path: scalar dot products with four accumulators" + (IsFloat ? "; log σ in double." : "."));
        _w.Line("/// </remarks>");
    }

    /// <summary>Every length, then the class index, before anything is written.</summary>
    private void EmitHierarchicalChecks()
    {
        if (Hierarchy.Problem is not null)
        {
            return;
        }

        string kc = "global::" + KernelNamespace + "." + KernelClass;
        string d = Int(Dimension), weights = Int((long)(ClassCount - 1) * Dimension), k = Int(ClassCount);
        _w.Comment($"hidden: D = {d} values; nodeWeights: (K − 1)·D = {weights}; every length is checked before anything is written.");
        Check($"{P(0)}.Length != {d}", $"{kc}.ThrowLength(nameof({P(0)}), {P(0)}.Length, {d}, \"D\");");
        Check($"{P(1)}.Length != {weights}", $"{kc}.ThrowLength(nameof({P(1)}), {P(1)}.Length, {weights}, \"(K − 1)·D\");");
        if (HierarchyAllClasses)
        {
            Check($"{P(2)}.Length != {k}", $"{kc}.ThrowLength(nameof({P(2)}), {P(2)}.Length, {k}, \"K\");");
        }
        else
        {
            if (HierarchyHasGradients)
            {
                Check($"{P(3)}.Length != {d}", $"{kc}.ThrowLength(nameof({P(3)}), {P(3)}.Length, {d}, \"D\");");
                Check($"{P(4)}.Length != {weights}", $"{kc}.ThrowLength(nameof({P(4)}), {P(4)}.Length, {weights}, \"(K − 1)·D\");");
            }

            Check($"(uint){P(2)} >= {k}u", $"{kc}.ThrowClassOutOfRange(nameof({P(2)}), {P(2)});");
        }

        _w.Line();
    }

    /// <summary>The body of a kernel whose counts file is missing or invalid (the usage analyzer reports why).</summary>
    private void EmitCountsProblemBody()
    {
        string message = $"[HierarchicalSoftmax] CountsFile = \"{Hierarchy.CountsFile}\": {Hierarchy.Problem} (see SMX0022/SMX0023/SMX0024).";
        _w.Line($"throw new global::System.InvalidOperationException({SymbolLiteral(message)});");
    }

    private static string SymbolLiteral(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);

    private void EmitHierarchicalRun()
    {
        string ros = $"ReadOnlySpan<{T}>", span = $"Span<{T}>";
        if (HierarchyAllClasses)
        {
            using (_w.Block($"internal static void Run({ros} h, {ros} w, {span} lp)"))
            {
                EmitAllClassesWalk();
            }

            return;
        }

        string gradients = HierarchyHasGradients ? $", {span} gh, {span} gw" : string.Empty;
        using (_w.Block($"internal static {T} Run({ros} h, {ros} w, int c{gradients})"))
        {
            EmitPathWalk();
        }
    }

    /// <summary>From class c's leaf up to the root: Σ log σ(s·d_n), and with gradients the two accumulations per node.</summary>
    private void EmitPathWalk()
    {
        _w.Comment("Up from class c's leaf: entry (n·2 + side) names the parent n and which child we came from (0: σ(+d), 1: σ(−d)).");
        _w.Line("double sum = 0;");
        _w.Line("int e = Entry(c);");
        using (_w.Block("while (true)"))
        {
            _w.Line("int n = e >> 1;");
            _w.Line($"{Ros} row = w.Slice(n * D, D);");
            _w.Line("double t = (e & 1) == 0 ? Dot(row, h) : -(double)Dot(row, h);");
            if (HierarchyHasGradients)
            {
                _w.Comment("log σ(t) and its derivative σ(−t), from z = exp(−|t|) ≤ 1.");
                _w.Line("double z = Math.Exp(-Math.Abs(t));");
                _w.Line("double g;");
                _w.Line("if (t >= 0) { sum -= Log1p(z); g = z / (1 + z); }");
                _w.Line("else { sum += t - Log1p(z); g = 1 / (1 + z); }");
                _w.Line();
                _w.Comment("∂/∂d_n = s·σ(−t): ∂/∂h += s·σ(−t)·w_n, ∂/∂w_n += s·σ(−t)·h.");
                _w.Line($"{T} coefficient = ({T})((e & 1) == 0 ? g : -g);");
                _w.Line("AddScaled(coefficient, row, gh);");
                _w.Line("AddScaled(coefficient, h, gw.Slice(n * D, D));");
            }
            else
            {
                _w.Line("sum += LogSigmoid(t);");
            }

            _w.Line("if (n == 0) break;");
            _w.Line("e = Entry(K - 1 + n);");
        }

        _w.Line();
        _w.Line($"return ({T})sum;");
    }

    private string Ros => $"ReadOnlySpan<{T}>";

    /// <summary>Top-down over the nodes in breadth-first order; each node's path sum waits in a leaf's output slot.</summary>
    private void EmitAllClassesWalk()
    {
        _w.Comment("Breadth-first: entry (slot·2 + internal) of each child; an internal child's path sum waits in output slot 'slot' (a leaf");
        _w.Comment("below it, written only after the child is read). The internal children appear in the table in breadth-first order,");
        _w.Comment("so node n ≥ 1 reads its path sum from the n-th internal entry, which a cursor finds.");
        _w.Line("int cursor = 0;");
        if (BlockedLogs)
        {
            _w.Comment("Blocks of 8 nodes: their dots, then l = log1p(exp(−|d|)) on vectors, then the nodes in order.");
            _w.Line("Span<double> dots = stackalloc double[8];");
            _w.Line("Span<double> logs = stackalloc double[8];");
            using (_w.Block("for (int first = 0; first < K - 1; first += 8)"))
            {
                _w.Line("int count = Math.Min(8, K - 1 - first);");
                using (_w.Block("for (int j = 0; j < count; j++)"))
                {
                    _w.Line("dots[j] = Dot(w.Slice((first + j) * D, D), h);");
                }

                _w.Line();
                _w.Line("LogOnePlusExp(dots, logs);");
                using (_w.Block("for (int j = 0; j < count; j++)"))
                {
                    _w.Line("int n = first + j;");
                    EmitNodeStep("dots[j]", "logs[j]");
                }
            }

            return;
        }

        using (_w.Block("for (int n = 0; n < K - 1; n++)"))
        {
            EmitNodeStep("Dot(w.Slice(n * D, D), h)", "Log1p(Math.Exp(-Math.Abs(d)))");
        }
    }

    /// <summary>float kernels with vector math take log1p(exp(−|d|)) eight nodes at a time (double lanes).</summary>
    private bool BlockedLogs => IsFloat && _facts.CanEmitSimd;

    /// <summary>One node of the all-classes walk: its path sum a, then both children's values from d and l.</summary>
    private void EmitNodeStep(string dot, string log)
    {
        _w.Line("double a = 0;");
        using (_w.Block("if (n > 0)"))
        {
            _w.Line("int e;");
            _w.Line("while (((e = Entry(cursor++)) & 1) == 0) { }");
            _w.Line("a = lp[e >> 1];");
        }

        _w.Line();
        _w.Comment("log σ(d) and log σ(−d) = log σ(d) − d, both from l = log1p(exp(−|d|)).");
        _w.Line($"double d = {dot};");
        _w.Line($"double l = {log};");
        string cast = IsFloat ? "(float)" : string.Empty;
        _w.Line($"lp[Entry(2 * n) >> 1] = {cast}(a + (d >= 0 ? -l : d - l));");
        _w.Line($"lp[Entry((2 * n) + 1) >> 1] = {cast}(a + (d >= 0 ? -d - l : -l));");
    }

    /// <summary>l_j = log1p(exp(−|d_j|)) for eight values, on the widest accelerated vectors (Goldberg's log1p, lane-wise).</summary>
    private void EmitLogOnePlusExp()
    {
        _w.Doc("summary", "l_j = log1p(exp(−|d_j|)) for the eight values of d: log(u)·z/(u − 1), u = 1 + z, z = exp(−|d|); z where u = 1.");
        _w.Line(AggressiveInlining);
        using (_w.Block("private static void LogOnePlusExp(ReadOnlySpan<double> d, Span<double> l)"))
        {
            bool first = true;
            foreach (VectorWidth v in VectorWidth.All(ElementType.Double))
            {
                using (_w.Block($"{(first ? "if" : "else if")} ({v.V}.IsHardwareAccelerated)"))
                {
                    using (_w.Block($"for (int i = 0; i < 8; i += {Int(v.Lanes)})"))
                    {
                        _w.Line($"var z = {v.V}.Exp(-{v.V}.Abs({v.V}.Create(d.Slice(i, {Int(v.Lanes)}))));");
                        _w.Line($"var u = {v.V}<double>.One + z;");
                        _w.Line($"var r = {v.V}.Log(u) * (z / (u - {v.V}<double>.One));");
                        _w.Line($"{v.V}.ConditionalSelect({v.V}.Equals(u, {v.V}<double>.One), z, r).CopyTo(l.Slice(i));");
                    }

                    _w.Line("return;");
                }

                first = false;
            }

            _w.Line();
            using (_w.Block("for (int i = 0; i < 8; i++)"))
            {
                _w.Line("l[i] = Log1p(Math.Exp(-Math.Abs(d[i])));");
            }
        }
    }

    private void EmitHierarchicalRows()
    {
        HuffmanTree tree = HuffmanTree.Build(Hierarchy.Counts.AsSpan());
        int k = ClassCount;
        int[] entries;
        string name, doc;
        if (HierarchyAllClasses)
        {
            entries = new int[2 * (k - 1)];
            for (int i = 0; i < entries.Length; i++)
            {
                int child = tree.Children[i];
                entries[i] = child < 0 ? (~child) << 1 : (tree.Slot[child] << 1) | 1;
            }

            name = "Down";
            doc = "Entries 2n and 2n + 1: node n's children as (slot·2 + internal), slot the class of a leaf or the parking slot of a node";
        }
        else
        {
            entries = new int[(2 * k) - 2];
            tree.ParentOfClass.CopyTo(entries, 0);
            Array.Copy(tree.ParentOfNode, 1, entries, k, k - 2);
            name = "Up";
            doc = "Entries 0 … K − 1: each class's parent as (node·2 + side); entries K … 2K − 3: node 1 … K − 2's parent";
        }

        int max = entries.Length == 0 ? 0 : entries.Max();
        int digits = 1;
        while (digits < 6 && max >= 1 << (6 * digits))
        {
            digits++;
        }

        _w.Line($"/// <summary>The number of classes K.</summary>");
        _w.Line($"private const int K = {Int(k)};");
        _w.Line();
        _w.Line($"/// <summary>The hidden size D.</summary>");
        _w.Line($"private const int D = {Int(Dimension)};");
        _w.Line();
        EmitTable(name, doc, entries, digits);
        _w.Line();
        EmitDot();
        if (HierarchyHasGradients)
        {
            _w.Line();
            EmitAddScaled();
        }

        if (BlockedLogs && HierarchyAllClasses)
        {
            _w.Line();
            EmitLogOnePlusExp();
        }

        _w.Line();
        _w.Line("/// <summary>log(1 + x) for 0 ≤ x ≤ 1 to a few ulps (Goldberg's trick: the rounding of 1 + x is divided out).</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block("private static double Log1p(double x)"))
        {
            _w.Line("double u = 1 + x;");
            _w.Line("return u == 1 ? x : Math.Log(u) * (x / (u - 1));");
        }

        if (!HierarchyHasGradients && !HierarchyAllClasses)
        {
            _w.Line();
            _w.Line("/// <summary>log σ(t) = −log1p(exp(−t)) for t ≥ 0, t − log1p(exp(t)) otherwise: no overflow, tiny σ kept accurate.</summary>");
            _w.Line(AggressiveInlining);
            _w.Line("private static double LogSigmoid(double t) => t >= 0 ? -Log1p(Math.Exp(-t)) : t - Log1p(Math.Exp(t));");
        }

        _w.Line();
        _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
        _w.Line("internal static void ThrowLength(string name, int length, int expected, string what) =>");
        _w.Line("    throw new ArgumentException($\"The length of '{name}' ({length}) must be {what} = {expected}.\", name);");
        if (!HierarchyAllClasses)
        {
            _w.Line();
            _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
            _w.Line("internal static void ThrowClassOutOfRange(string name, int value) =>");
            _w.Line($"    throw new ArgumentOutOfRangeException(name, value, \"The class index must be from 0 to K − 1 = {Int(k - 1)}.\");");
        }
    }

    /// <summary>Table characters per line: a multiple of the digits per entry, so no entry spans two lines.</summary>
    private static int TableLine(int digits) => 144 / digits * digits;

    /// <summary>
    /// The table as a verbatim string of base-64 digits, '#' + v for v = 0 … 63 (no '"' or '\' escapes needed), least
    /// significant digit first, <paramref name="digits"/> per entry, in lines of <see cref="TableLine"/> digits (each line's '\n' is
    /// part of the string and skipped by <c>Entry</c>). From C# 11 it is a UTF-8 literal (RVA static data); before, a string
    /// constant. Either way the compiler reads one token, however large K is.
    /// </summary>
    private void EmitTable(string name, string doc, int[] entries, int digits)
    {
        bool utf8 = _facts.SupportsFileTypes;
        _w.Doc("summary", $"{doc}; {digits} base-64 digit{(digits == 1 ? string.Empty : "s")} per entry ('#' + v, least significant first), {TableLine(digits)} per line.");
        _w.Line(utf8 ? $"private static ReadOnlySpan<byte> {name} => @\"" : $"private const string {name} = @\"");
        int perLine = TableLine(digits) / digits;
        var line = new StringBuilder();
        var text = new StringBuilder();
        for (int i = 0; i < entries.Length; i++)
        {
            for (int d = 0; d < digits; d++)
            {
                line.Append((char)('#' + ((entries[i] >> (6 * d)) & 63)));
            }

            if ((i + 1) % perLine == 0 || i == entries.Length - 1)
            {
                text.Append(line).Append('\n');
                line.Clear();
            }
        }

        // Verbatim: the lines start in column 0 (indentation would be part of the string).
        text.Length--;
        _w.Verbatim(text.Append(utf8 ? "\"u8;\n" : "\";\n").ToString());
        _w.Line();
        int lineLength = TableLine(digits) + 1;
        string read = string.Join(" | ", Enumerable.Range(0, digits).Select(d =>
            (d == 0 ? "(t[p] - '#')" : $"((t[p + {d}] - '#') << {6 * d})")));
        _w.Doc("summary", $"Entry i of {name}: its digits start after the string's first '\\n', {perLine} entries to a line of {lineLength} characters.");
        _w.Line(AggressiveInlining);
        using (_w.Block("private static int Entry(int i)"))
        {
            _w.Line(utf8 ? $"ReadOnlySpan<byte> t = {name};" : $"string t = {name};");
            _w.Line($"int line = i / {Int(perLine)};");
            string offset = digits == 1 ? $"(i - (line * {Int(perLine)}))" : $"((i - (line * {Int(perLine)})) * {Int(digits)})";
            _w.Line($"int p = 1 + (line * {Int(lineLength)}) + {offset};");
            _w.Line($"return {read};");
        }
    }

    /// <summary>⟨a, b⟩ over D values: vectors of each width D fills, four accumulators, then a scalar tail.</summary>
    private void EmitDot()
    {
        _w.Line("/// <summary>⟨a, b⟩ of two rows of D values.</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"private static {T} Dot({Ros} a, {Ros} b)"))
        {
            if (VectorWidths() is { Count: > 0 } widths)
            {
                _w.Line($"ref {T} ar = ref MemoryMarshal.GetReference(a);");
                _w.Line($"ref {T} br = ref MemoryMarshal.GetReference(b);");
                bool first = true;
                foreach (VectorWidth v in widths)
                {
                    using (_w.Block($"{(first ? "if" : "else if")} ({v.V}.IsHardwareAccelerated)"))
                    {
                        EmitVectorDot(v);
                    }

                    first = false;
                }

                _w.Line();
            }

            EmitScalarDot();
        }
    }

    private void EmitVectorDot(VectorWidth v)
    {
        int lanes = v.Lanes, vectors = Dimension / lanes, blocks = vectors / 4, done = 0;
        int accumulators = Math.Min(4, vectors);
        for (int j = 0; j < accumulators; j++)
        {
            _w.Line($"var s{j} = {v.V}<{T}>.Zero;");
        }

        string Fma(int j, string at) => $"s{j} = {v.V}.FusedMultiplyAdd({v.V}.LoadUnsafe(ref ar, {at}), {v.V}.LoadUnsafe(ref br, {at}), s{j});";
        if (blocks > 1)
        {
            using (_w.Block($"for (nuint i = 0; i < {Int(blocks * 4 * lanes)}; i += {Int(4 * lanes)})"))
            {
                for (int j = 0; j < 4; j++)
                {
                    _w.Line(Fma(j, j == 0 ? "i" : $"i + {Int(j * lanes)}"));
                }
            }

            done = blocks * 4 * lanes;
        }

        for (int j = 0; done + lanes <= Dimension; done += lanes, j = (j + 1) % 4)
        {
            _w.Line(Fma(j, Int(done)));
        }

        string total = accumulators switch
        {
            1 => "s0",
            2 => "s0 + s1",
            3 => "(s0 + s1) + s2",
            _ => "(s0 + s1) + (s2 + s3)",
        };
        _w.Line($"{T} sum = {v.V}.Sum({total});");
        if (done < Dimension)
        {
            using (_w.Block($"for (int i = {Int(done)}; i < D; i++)"))
            {
                _w.Line("sum += a[i] * b[i];");
            }
        }

        _w.Line("return sum;");
    }

    private void EmitScalarDot()
    {
        int done = Dimension / 4 * 4;
        _w.Line($"{T} t0 = 0, t1 = 0, t2 = 0, t3 = 0;");
        if (done > 0)
        {
            using (_w.Block($"for (int i = 0; i < {Int(done)}; i += 4)"))
            {
                _w.Line("t0 += a[i] * b[i];");
                _w.Line("t1 += a[i + 1] * b[i + 1];");
                _w.Line("t2 += a[i + 2] * b[i + 2];");
                _w.Line("t3 += a[i + 3] * b[i + 3];");
            }
        }

        for (int i = done; i < Dimension; i++)
        {
            _w.Line($"t{i - done} += a[{Int(i)}] * b[{Int(i)}];");
        }

        _w.Line("return (t0 + t1) + (t2 + t3);");
    }

    /// <summary>y += α·x over D values.</summary>
    private void EmitAddScaled()
    {
        _w.Line("/// <summary>y += α·x over D values.</summary>");
        _w.Line(AggressiveInlining);
        using (_w.Block($"private static void AddScaled({T} alpha, {Ros} x, Span<{T}> y)"))
        {
            if (VectorWidths() is { Count: > 0 } widths)
            {
                _w.Line($"ref {T} xr = ref MemoryMarshal.GetReference(x);");
                _w.Line($"ref {T} yr = ref MemoryMarshal.GetReference(y);");
                bool first = true;
                foreach (VectorWidth v in widths)
                {
                    int vectors = Dimension / v.Lanes * v.Lanes;
                    using (_w.Block($"{(first ? "if" : "else if")} ({v.V}.IsHardwareAccelerated)"))
                    {
                        _w.Line($"var va = {v.V}.Create(alpha);");
                        using (_w.Block($"for (nuint i = 0; i < {Int(vectors)}; i += {Int(v.Lanes)})"))
                        {
                            _w.Line($"{v.V}.FusedMultiplyAdd(va, {v.V}.LoadUnsafe(ref xr, i), {v.V}.LoadUnsafe(ref yr, i)).StoreUnsafe(ref yr, i);");
                        }

                        if (vectors < Dimension)
                        {
                            using (_w.Block($"for (int i = {Int(vectors)}; i < D; i++)"))
                            {
                                _w.Line("y[i] += alpha * x[i];");
                            }
                        }

                        _w.Line("return;");
                    }

                    first = false;
                }

                _w.Line();
            }

            using (_w.Block("for (int i = 0; i < D; i++)"))
            {
                _w.Line("y[i] += alpha * x[i];");
            }
        }
    }

    /// <summary>The vector widths the dot products and updates use: those D fills, on targets with the .NET 9 vector API.</summary>
    private System.Collections.Generic.List<VectorWidth> VectorWidths() =>
        _facts.CanEmitSimd ? [.. VectorWidth.All(_spec.Element).Where(v => v.Lanes <= Dimension)] : [];
}
