using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Generation.Emit;

/// <summary>
/// The transposes of the short-row blocks, in registers on AVX-512 hardware: a block of L rows (L = 16 floats or 8 doubles
/// per vector) is loaded as L row vectors of ⌈K/L⌉·L lanes (the lanes past K belong to the next rows and are dropped),
/// transposed by a shuffle network (UNPCKL/H and SHUFF32X4/SHUFF64X2: 4 rounds of 16 for floats, 3 of 8 for doubles),
/// and stored as K column vectors. For float softmax and log-softmax the way back runs the same network on the K
/// columns and stores the rows with overlap into the block (each row's spare lanes are overwritten by the next row;
/// the last ones land in padding after the block), then copies the L·K values out. The element-by-element transposes
/// stay for other hardware, for the double way back, and for the last block of a batch, whose last row has fewer than
/// ⌈K/L⌉·L values left to read.
/// </summary>
internal sealed partial class KernelEmitter
{
    private const string Avx512F = "Avx512F";

    /// <summary>The sizes of one stack block of short rows.</summary>
    private readonly struct BlockGeometry
    {
        public BlockGeometry(int k, int lanes, bool inRegisters, bool outInRegisters)
        {
            InRegisters = inRegisters;
            OutInRegisters = outInRegisters;
            Span = lanes * ((k + lanes - 1) / lanes);
            Stride = (lanes * k) + (outInRegisters ? Span : 0);
            Reach = ((lanes - 1) * k) + Span;
        }

        /// <summary>Whether the block is transposed in registers on the way in.</summary>
        public bool InRegisters { get; }

        /// <summary>Whether the results go back to row-major order in registers (then the block needs padding).</summary>
        public bool OutInRegisters { get; }

        /// <summary>Values read (and written back) per row: K rounded up to whole vectors.</summary>
        public int Span { get; }

        /// <summary>Distance between the two stack blocks: L·K values, plus room for the last row's spare lanes.</summary>
        public int Stride { get; }

        /// <summary>Values a block's row vectors read from its first row on: the in-register path needs that many.</summary>
        public int Reach { get; }
    }

    /// <summary>
    /// Transpose{W} (rows → the block's columns) and, unless the kernel is log-sum-exp, Untranspose{W} (back), each with
    /// its in-register branch where the geometry allows it and the element-by-element loop otherwise.
    /// </summary>
    private void EmitTransposes(VectorWidth w, BlockGeometry geometry)
    {
        int k = _spec.K;
        int lanes = w.Lanes;
        int halves = geometry.Span / lanes;
        string wide = geometry.InRegisters ? ", bool wide" : string.Empty;
        string when = geometry.InRegisters ? $"; in registers when {geometry.Reach} values can be read from <paramref name=\"rows\"/> on" : string.Empty;

        _w.Line($"/// <summary>t[j·{lanes} + r] = rows[r·K + j] for the {lanes} rows of one block{(when.Length > 0 ? ";" : ".")}");
        if (when.Length > 0)
        {
            _w.Line($"/// {when.Substring(2)}.");
        }

        _w.Line("/// </summary>");
        EmitHotAttribute();
        using (_w.Block($"private static void Transpose{w.Bits}(ref {T} rows, ref {T} t{wide})"))
        {
            if (geometry.InRegisters)
            {
                using (_w.Block($"if ({Avx512F}.IsSupported && wide)"))
                {
                    _w.Comment($"{lanes} row vectors{(halves > 1 ? " per half" : string.Empty)} (lanes past K = {k} belong to the next rows and are dropped), transposed into the K columns.");
                    for (int h = 0; h < halves; h++)
                    {
                        string[] rowVectors = [.. Enumerable.Range(0, lanes).Select(r => $"r{h}_{r}")];
                        for (int r = 0; r < lanes; r++)
                        {
                            _w.Line($"var {rowVectors[r]} = {w.V}.LoadUnsafe(ref rows, {(r * k) + (h * lanes)});");
                        }

                        string?[] columns = [.. Enumerable.Range(0, lanes).Select(j => (h * lanes) + j < k ? $"c{(h * lanes) + j}" : null)];
                        EmitLines(TransposeNetwork(w.V, $"n{h}_", rowVectors, columns));
                    }

                    for (int j = 0; j < k; j++)
                    {
                        _w.Line($"{w.V}.StoreUnsafe(c{j}, ref t, {j * lanes});");
                    }

                    _w.Line("return;");
                }

                _w.Line();
            }

            EmitElementwiseTranspose(lanes, toColumns: true);
        }

        _w.Line();
        if (_spec.Op == Model.KernelOp.LogSumExp)
        {
            return;
        }

        string padding = geometry.OutInRegisters ? " (the block is overwritten, and its padding used)" : string.Empty;
        _w.Line($"/// <summary>rows[r·K + j] = t[j·{lanes} + r] for the {lanes} rows of one block{padding}.</summary>");
        EmitHotAttribute();
        using (_w.Block($"private static void Untranspose{w.Bits}(ref {T} t, ref {T} rows)"))
        {
            if (geometry.OutInRegisters)
            {
                using (_w.Block($"if ({Avx512F}.IsSupported)"))
                {
                    _w.Comment($"The K = {k} column vectors, transposed into {lanes} row vectors (float rows of K ≤ 16 fit one vector).");
                    for (int j = 0; j < k; j++)
                    {
                        _w.Line($"var c{j} = {w.V}.LoadUnsafe(ref t, {j * lanes});");
                    }

                    string[] columns = [.. Enumerable.Range(0, lanes).Select(j => j < k ? $"c{j}" : $"{w.V}<{T}>.Zero")];
                    string?[] rowVectors = [.. Enumerable.Range(0, lanes).Select(r => $"r{r}")];
                    EmitLines(TransposeNetwork(w.V, "n_", columns, rowVectors));
                    _w.Comment("Row by row with overlap: each row's spare lanes are overwritten by the next row, the last ones land in the padding.");
                    for (int r = 0; r < lanes; r++)
                    {
                        _w.Line($"{w.V}.StoreUnsafe(r{r}, ref t, {r * k});");
                    }

                    _w.Line($"MemoryMarshal.CreateReadOnlySpan(ref t, {lanes * k}).CopyTo(MemoryMarshal.CreateSpan(ref rows, {lanes * k}));");
                    _w.Line("return;");
                }

                _w.Line();
            }

            EmitElementwiseTranspose(lanes, toColumns: false);
        }

        _w.Line();
    }

    /// <summary>The element-by-element loop between rows[r·K + j] and t[j·L + r], K statements per row (K ≤ 16).</summary>
    private void EmitElementwiseTranspose(int lanes, bool toColumns)
    {
        const string U = "Unsafe";
        string k = _spec.K.ToString(CultureInfo.InvariantCulture);
        using (_w.Block($"for (int r = 0; r < {lanes}; r++)"))
        {
            _w.Line(toColumns ? $"ref {T} source = ref {U}.Add(ref rows, r * {k});" : $"ref {T} source = ref {U}.Add(ref t, r);");
            _w.Line(toColumns ? $"ref {T} target = ref {U}.Add(ref t, r);" : $"ref {T} target = ref {U}.Add(ref rows, r * {k});");
            for (int j = 0; j < _spec.K; j++)
            {
                int targetIndex = toColumns ? j * lanes : j;
                int sourceIndex = toColumns ? j : j * lanes;
                _w.Line($"{U}.Add(ref target, {targetIndex}) = {U}.Add(ref source, {sourceIndex});");
            }
        }
    }

    private void EmitLines(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            _w.Line(line);
        }
    }

    /// <summary>
    /// The shuffle network that transposes L vectors of L lanes (16 floats: 4 rounds, or 8 doubles: 3 rounds); outputs
    /// given as null are not computed. Round by round, lanes are interleaved in pairs, then pairs, then 128-bit blocks.
    /// </summary>
    private IEnumerable<string> TransposeNetwork(string v, string p, string[] input, string?[] output)
    {
        static string Shuffle(string a, string b, int control) =>
            $"{Avx512F}.Shuffle4x128({a}, {b}, 0x{control:X2})";

        var lines = new List<string>();
        int n = input.Length;
        for (int i = 0; i < n / 2; i++)
        {
            lines.Add($"var {p}a{2 * i} = {Avx512F}.UnpackLow({input[2 * i]}, {input[(2 * i) + 1]});");
            lines.Add($"var {p}a{(2 * i) + 1} = {Avx512F}.UnpackHigh({input[2 * i]}, {input[(2 * i) + 1]});");
        }

        if (IsFloat)
        {
            // Round 2: 64-bit pairs; b[4g + c] holds column 4q + c of rows 4g … 4g + 3 in its 128-bit block q.
            for (int g = 0; g < 4; g++)
            {
                int b = 4 * g;
                lines.Add(Pairs($"{p}b{b}", "UnpackLow", $"{p}a{b}", $"{p}a{b + 2}"));
                lines.Add(Pairs($"{p}b{b + 1}", "UnpackHigh", $"{p}a{b}", $"{p}a{b + 2}"));
                lines.Add(Pairs($"{p}b{b + 2}", "UnpackLow", $"{p}a{b + 1}", $"{p}a{b + 3}"));
                lines.Add(Pairs($"{p}b{b + 3}", "UnpackHigh", $"{p}a{b + 1}", $"{p}a{b + 3}"));
            }

            // Round 3: 128-bit blocks of row groups 0/1 and 2/3.
            for (int c = 0; c < 4; c++)
            {
                lines.Add($"var {p}d{c} = {Shuffle($"{p}b{c}", $"{p}b{4 + c}", 0x88)};");
                lines.Add($"var {p}d{4 + c} = {Shuffle($"{p}b{c}", $"{p}b{4 + c}", 0xDD)};");
                lines.Add($"var {p}d{8 + c} = {Shuffle($"{p}b{8 + c}", $"{p}b{12 + c}", 0x88)};");
                lines.Add($"var {p}d{12 + c} = {Shuffle($"{p}b{8 + c}", $"{p}b{12 + c}", 0xDD)};");
            }

            // Round 4: the columns.
            for (int c = 0; c < 4; c++)
            {
                AddOutput(lines, output[c], Shuffle($"{p}d{c}", $"{p}d{8 + c}", 0x88));
                AddOutput(lines, output[8 + c], Shuffle($"{p}d{c}", $"{p}d{8 + c}", 0xDD));
                AddOutput(lines, output[4 + c], Shuffle($"{p}d{4 + c}", $"{p}d{12 + c}", 0x88));
                AddOutput(lines, output[12 + c], Shuffle($"{p}d{4 + c}", $"{p}d{12 + c}", 0xDD));
            }
        }
        else
        {
            // Round 2: 128-bit blocks; b[4g + c] holds columns c and c + 4 of rows 4g … 4g + 3.
            for (int g = 0; g < 2; g++)
            {
                int b = 4 * g;
                lines.Add($"var {p}b{b} = {Shuffle($"{p}a{b}", $"{p}a{b + 2}", 0x88)};");
                lines.Add($"var {p}b{b + 2} = {Shuffle($"{p}a{b}", $"{p}a{b + 2}", 0xDD)};");
                lines.Add($"var {p}b{b + 1} = {Shuffle($"{p}a{b + 1}", $"{p}a{b + 3}", 0x88)};");
                lines.Add($"var {p}b{b + 3} = {Shuffle($"{p}a{b + 1}", $"{p}a{b + 3}", 0xDD)};");
            }

            // Round 3: the columns.
            for (int c = 0; c < 4; c++)
            {
                AddOutput(lines, output[c], Shuffle($"{p}b{c}", $"{p}b{4 + c}", 0x88));
                AddOutput(lines, output[4 + c], Shuffle($"{p}b{c}", $"{p}b{4 + c}", 0xDD));
            }
        }

        return lines;

        string Pairs(string name, string unpack, string a, string b) =>
            $"var {name} = {v}.AsSingle({Avx512F}.{unpack}({v}.AsDouble({a}), {v}.AsDouble({b})));";

        static void AddOutput(List<string> lines, string? name, string expression)
        {
            if (name is not null)
            {
                lines.Add($"var {name} = {expression};");
            }
        }
    }
}
