namespace SoftmaxGen.Tests.CodeFixes;

/// <summary>
/// The documents of <see cref="FixAllTests"/> (two projects: Source0 and Source1 in the first, Source0 in the second) and
/// what fixing them one diagnostic at a time gives, per fix; markup marks the diagnostics before and after.
/// </summary>
internal static class FixAllCases
{
    public static readonly string[] Input =
    [
        """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Numerics.Tensors;

        public static partial class C
        {
            public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

            static void Softmax(double[] x, double[] y)
            {
                // Normalising constant.
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += {|SMX1001:Math.Exp(x[i])|};
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum; // probabilities
            }
            public static double[] Check1(double[] input) => Softmax(Array.ConvertAll(input, v => (float)v)).Select(v => (double)v).ToArray();

            static IEnumerable<float> Softmax(float[] output)
            {
                var sum = output.Sum(x => (float){|SMX1001:Math.Exp(x)|});
                IEnumerable<float> softmax = output.Select(x => (float)Math.Exp(x) / sum);
                return softmax.ToArray();
            }
            // Two softmaxes and a log-sum-exp sharing one method and one statement.
            static void Both(double[] a, double[] b, double[] pa, double[] pb)
            {
                double sa = 0, sb = 0;
                for (int i = 0; i < a.Length; i++) { sa += {|SMX1001:Math.Exp(a[i])|}; sb += {|SMX1001:Math.Exp(b[i])|}; }
                for (int i = 0; i < a.Length; i++) { pa[i] = Math.Exp(a[i]) / sa; pb[i] = Math.Exp(b[i]) / sb; }
            }

            static double Lse(double[] x) => Math.Log(x.Sum(v => {|SMX1002:Math.Exp(v)|}));

            static double Lse2(double[] x)
            {
                double s = x.Sum(v => {|SMX1002:Math.Exp(v)|});
                return Math.Log(s);
            }
        }
        """,
        """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Numerics.Tensors;

        public static partial class C
        {
            public static double[] Check2(double[] input) { var rows = new[] { (double[])input.Clone() }; Softmax(rows); return rows[0]; }

            static void Softmax(double[][] x)
            {
                for (int r = 0; r < x.Length; r++)
                {
                    double sum = 0;
                    for (int j = 0; j < x[r].Length; j++) sum += {|SMX1001:Math.Exp(x[r][j])|};
                    for (int j = 0; j < x[r].Length; j++) x[r][j] = Math.Exp(x[r][j]) / sum;
                }
            }
            public static double[] Check3(double[] input) => [LogSumExp(input)];

            static double LogSumExp(double[] x)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++) sum += {|SMX1002:Math.Exp(x[i])|};
                return Math.Log(sum);
            }
        }
        """,
        """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Numerics.Tensors;

        public static partial class C
        {
            public static double[] Check(double[] input) { var v = (double[])input.Clone(); Softmax(v); return v; }

            static void Softmax(Span<double> values)
            {
                double total = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = {|SMX1001:Math.Exp(values[i])|};
                    total += values[i];
                }

                for (int i = 0; i < values.Length; i++) values[i] /= total;
            }
        }
        """,
    ];

    public static readonly IReadOnlyDictionary<string, string[]> Fixed = new Dictionary<string, string[]>
    {
        ["SMX1001.SubtractMaximum"] =
        [
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Numerics.Tensors;

            public static partial class C
            {
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

                static void Softmax(double[] x, double[] y)
                {
                    // Normalising constant.
                    double sum = 0;
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - max);
                    for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i] - max) / sum; // probabilities
                }
                public static double[] Check1(double[] input) => Softmax(Array.ConvertAll(input, v => (float)v)).Select(v => (double)v).ToArray();

                static IEnumerable<float> Softmax(float[] output)
                {
                    double max = double.NegativeInfinity;
                    foreach (var value in output) max = Math.Max(max, value);
                    if (double.IsInfinity(max)) max = 0;
                    var sum = output.Sum(x => (float)Math.Exp(x - max));
                    IEnumerable<float> softmax = output.Select(x => (float)Math.Exp(x - max) / sum);
                    return softmax.ToArray();
                }
                // Two softmaxes and a log-sum-exp sharing one method and one statement.
                static void Both(double[] a, double[] b, double[] pa, double[] pb)
                {
                    double sa = 0, sb = 0;
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < a.Length; i++) max = Math.Max(max, a[i]);
                    if (double.IsInfinity(max)) max = 0;
                    double maxLogit = double.NegativeInfinity;
                    for (int i = 0; i < a.Length; i++) maxLogit = Math.Max(maxLogit, b[i]);
                    if (double.IsInfinity(maxLogit)) maxLogit = 0;
                    for (int i = 0; i < a.Length; i++) { sa += Math.Exp(a[i] - max); sb += Math.Exp(b[i] - maxLogit); }
                    for (int i = 0; i < a.Length; i++) { pa[i] = Math.Exp(a[i] - max) / sa; pb[i] = Math.Exp(b[i] - maxLogit) / sb; }
                }

                static double Lse(double[] x) => Math.Log(x.Sum(v => {|SMX1002:Math.Exp(v)|}));

                static double Lse2(double[] x)
                {
                    double s = x.Sum(v => {|SMX1002:Math.Exp(v)|});
                    return Math.Log(s);
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Numerics.Tensors;

            public static partial class C
            {
                public static double[] Check2(double[] input) { var rows = new[] { (double[])input.Clone() }; Softmax(rows); return rows[0]; }

                static void Softmax(double[][] x)
                {
                    for (int r = 0; r < x.Length; r++)
                    {
                        double sum = 0;
                        double max = double.NegativeInfinity;
                        for (int j = 0; j < x[r].Length; j++) max = Math.Max(max, x[r][j]);
                        if (double.IsInfinity(max)) max = 0;
                        for (int j = 0; j < x[r].Length; j++) sum += Math.Exp(x[r][j] - max);
                        for (int j = 0; j < x[r].Length; j++) x[r][j] = Math.Exp(x[r][j] - max) / sum;
                    }
                }
                public static double[] Check3(double[] input) => [LogSumExp(input)];

                static double LogSumExp(double[] x)
                {
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) sum += {|SMX1002:Math.Exp(x[i])|};
                    return Math.Log(sum);
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Numerics.Tensors;

            public static partial class C
            {
                public static double[] Check(double[] input) { var v = (double[])input.Clone(); Softmax(v); return v; }

                static void Softmax(Span<double> values)
                {
                    double total = 0;
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < values.Length; i++) max = Math.Max(max, values[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = Math.Exp(values[i] - max);
                        total += values[i];
                    }

                    for (int i = 0; i < values.Length; i++) values[i] /= total;
                }
            }
            """,
        ],
        ["SMX1002.SubtractMaximum"] =
        [
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Numerics.Tensors;

            public static partial class C
            {
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

                static void Softmax(double[] x, double[] y)
                {
                    // Normalising constant.
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) sum += {|SMX1001:Math.Exp(x[i])|};
                    for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(x[i]) / sum; // probabilities
                }
                public static double[] Check1(double[] input) => Softmax(Array.ConvertAll(input, v => (float)v)).Select(v => (double)v).ToArray();

                static IEnumerable<float> Softmax(float[] output)
                {
                    var sum = output.Sum(x => (float){|SMX1001:Math.Exp(x)|});
                    IEnumerable<float> softmax = output.Select(x => (float)Math.Exp(x) / sum);
                    return softmax.ToArray();
                }
                // Two softmaxes and a log-sum-exp sharing one method and one statement.
                static void Both(double[] a, double[] b, double[] pa, double[] pb)
                {
                    double sa = 0, sb = 0;
                    for (int i = 0; i < a.Length; i++) { sa += {|SMX1001:Math.Exp(a[i])|}; sb += {|SMX1001:Math.Exp(b[i])|}; }
                    for (int i = 0; i < a.Length; i++) { pa[i] = Math.Exp(a[i]) / sa; pb[i] = Math.Exp(b[i]) / sb; }
                }

                static double Lse(double[] x) => Math.Log(x.Sum(v => {|SMX1002:Math.Exp(v)|}));

                static double Lse2(double[] x)
                {
                    double max = double.NegativeInfinity;
                    foreach (var value in x) max = Math.Max(max, value);
                    if (double.IsInfinity(max)) max = 0;
                    double s = x.Sum(v => Math.Exp(v - max));
                    return max + Math.Log(s);
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Numerics.Tensors;

            public static partial class C
            {
                public static double[] Check2(double[] input) { var rows = new[] { (double[])input.Clone() }; Softmax(rows); return rows[0]; }

                static void Softmax(double[][] x)
                {
                    for (int r = 0; r < x.Length; r++)
                    {
                        double sum = 0;
                        for (int j = 0; j < x[r].Length; j++) sum += {|SMX1001:Math.Exp(x[r][j])|};
                        for (int j = 0; j < x[r].Length; j++) x[r][j] = Math.Exp(x[r][j]) / sum;
                    }
                }
                public static double[] Check3(double[] input) => [LogSumExp(input)];

                static double LogSumExp(double[] x)
                {
                    double sum = 0;
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < x.Length; i++) max = Math.Max(max, x[i]);
                    if (double.IsInfinity(max)) max = 0;
                    for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - max);
                    return max + Math.Log(sum);
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Numerics.Tensors;

            public static partial class C
            {
                public static double[] Check(double[] input) { var v = (double[])input.Clone(); Softmax(v); return v; }

                static void Softmax(Span<double> values)
                {
                    double total = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = {|SMX1001:Math.Exp(values[i])|};
                        total += values[i];
                    }

                    for (int i = 0; i < values.Length; i++) values[i] /= total;
                }
            }
            """,
        ],
        ["SMX1001.UseGeneratedSoftmax"] =
        [
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Numerics.Tensors;

            public static partial class C
            {
                public static double[] Check(double[] input) { var y = new double[input.Length]; Softmax(input, y); return y; }

                static void Softmax(double[] x, double[] y)
                {
                    // Normalising constant.
                    if (x.Length > 0) SoftmaxRow(x, y.AsSpan(0, x.Length)); // probabilities
                }
                public static double[] Check1(double[] input) => Softmax(Array.ConvertAll(input, v => (float)v)).Select(v => (double)v).ToArray();

                static IEnumerable<float> Softmax(float[] output)
                {
                    var sum = output.Sum(x => (float){|SMX1001:Math.Exp(x)|});
                    IEnumerable<float> softmax = output.Select(x => (float)Math.Exp(x) / sum);
                    return softmax.ToArray();
                }
                // Two softmaxes and a log-sum-exp sharing one method and one statement.
                static void Both(double[] a, double[] b, double[] pa, double[] pb)
                {
                    double sa = 0, sb = 0;
                    for (int i = 0; i < a.Length; i++) { sa += {|SMX1001:Math.Exp(a[i])|}; sb += {|SMX1001:Math.Exp(b[i])|}; }
                    for (int i = 0; i < a.Length; i++) { pa[i] = Math.Exp(a[i]) / sa; pb[i] = Math.Exp(b[i]) / sb; }
                }

                static double Lse(double[] x) => Math.Log(x.Sum(v => {|SMX1002:Math.Exp(v)|}));

                static double Lse2(double[] x)
                {
                    double s = x.Sum(v => {|SMX1002:Math.Exp(v)|});
                    return Math.Log(s);
                }

                [global::SoftmaxGen.Softmax]
                private static partial void SoftmaxRow(global::System.ReadOnlySpan<double> logits, global::System.Span<double> probabilities);
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Numerics.Tensors;

            public static partial class C
            {
                public static double[] Check2(double[] input) { var rows = new[] { (double[])input.Clone() }; Softmax(rows); return rows[0]; }

                static void Softmax(double[][] x)
                {
                    for (int r = 0; r < x.Length; r++)
                    {
                        double sum = 0;
                        for (int j = 0; j < x[r].Length; j++) sum += {|SMX1001:Math.Exp(x[r][j])|};
                        for (int j = 0; j < x[r].Length; j++) x[r][j] = Math.Exp(x[r][j]) / sum;
                    }
                }
                public static double[] Check3(double[] input) => [LogSumExp(input)];

                static double LogSumExp(double[] x)
                {
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++) sum += {|SMX1002:Math.Exp(x[i])|};
                    return Math.Log(sum);
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Numerics.Tensors;

            public static partial class C
            {
                public static double[] Check(double[] input) { var v = (double[])input.Clone(); Softmax(v); return v; }

                static void Softmax(Span<double> values)
                {
                    if (values.Length > 0) SoftmaxRow(values);
                }

                [global::SoftmaxGen.Softmax]
                private static partial void SoftmaxRow(global::System.Span<double> values);
            }
            """,
        ],
    };
}
