using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SoftmaxGen.Diagnostics;
using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Generation;

/// <summary>The options of <c>[HierarchicalSoftmax]</c>: Counts or CountsFile (exactly one) and Dimension.</summary>
internal static partial class KernelParser
{
    /// <summary>
    /// Dimension (SMX0024), the counts source (SMX0025) and inline counts (SMX0022). With <c>CountsFile</c>, the counts are read
    /// here only when <paramref name="additionalFiles"/> is given (the usage analyzer: SMX0023, SMX0022, SMX0024); the generator
    /// reads them later through its AdditionalTextsProvider (see <see cref="CountsFiles"/>).
    /// </summary>
    private static HierarchySpec ParseHierarchy(
        AttributeData attribute, AttributeSyntax syntax, IMethodSymbol method, MethodDeclarationSyntax declaration,
        ImmutableArray<AdditionalText> additionalFiles, Problems problems)
    {
        string methodName = method.Name;
        TypedConstant? counts = null;
        string? countsFile = null;
        bool hasCountsFile = false;
        int? dimension = null;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Counts":
                    counts = argument.Value;
                    break;
                case "CountsFile":
                    hasCountsFile = true;
                    countsFile = argument.Value.Value as string;
                    break;
                case "Dimension" when argument.Value.Value is int d:
                    dimension = d;
                    break;
            }
        }

        if (dimension is not (>= 1 and <= HierarchySpec.MaxDimension))
        {
            SyntaxNode location = dimension is null ? syntax : NamedArgument(syntax, "Dimension");
            string value = dimension is { } given ? given.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(unset)";
            problems.Add(Descriptors.InvalidDimension, location, value, $"the hidden size D must be set, from 1 to {HierarchySpec.MaxDimension}");
        }

        int d0 = dimension ?? 1;
        if (counts is not null && hasCountsFile)
        {
            problems.Add(Descriptors.CountsSourceAmbiguous, NamedArgument(syntax, "CountsFile"), methodName, "both Counts and CountsFile are given");
            return new HierarchySpec(d0, default, null);
        }

        if (counts is null && !hasCountsFile)
        {
            problems.Add(Descriptors.CountsSourceAmbiguous, syntax, methodName, "neither is given");
            return new HierarchySpec(d0, default, null);
        }

        if (counts is { } inline)
        {
            int[] values = inline.IsNull ? [] : [.. inline.Values.Select(v => v.Value is int c ? c : -1)];
            if (CountsFiles.Validate(values) is { } problem)
            {
                problems.Add(Descriptors.InvalidCounts, NamedArgument(syntax, "Counts"), string.Empty, problem);
            }
            else if (dimension is not null && CountsFiles.ValidateSize(values.Length, d0) is { } size)
            {
                problems.Add(Descriptors.InvalidDimension, NamedArgument(syntax, "Dimension"), d0, size);
            }

            return new HierarchySpec(d0, new EquatableArray<int>(values), null);
        }

        // Where the generator reports a problem of the file itself: only where the usage analyzer stays silent.
        SourceSpot? reportAt = InvalidDeclarations.IsReportedByGenerator(method, declaration) ? SourceSpot.Of(NamedArgument(syntax, "CountsFile").GetLocation()) : null;
        var spec = new HierarchySpec(d0, default, countsFile ?? string.Empty, ReportAt: reportAt);
        if (string.IsNullOrEmpty(countsFile))
        {
            problems.Add(Descriptors.InvalidCountsFile, NamedArgument(syntax, "CountsFile"), countsFile ?? "null", "the name is empty");
        }
        else if (!additionalFiles.IsDefault)
        {
            ReportCountsFile(spec, additionalFiles, syntax, problems);
        }

        return spec;
    }

    /// <summary>The usage analyzer's view of a CountsFile: the same resolution the generator makes, reported where it is named.</summary>
    private static void ReportCountsFile(HierarchySpec spec, ImmutableArray<AdditionalText> additionalFiles, AttributeSyntax syntax, Problems problems)
    {
        string name = spec.CountsFile!;
        AdditionalText? text = additionalFiles.FirstOrDefault(f => CountsFiles.Matches(f.Path, name));
        SyntaxNode location = NamedArgument(syntax, "CountsFile");
        if (text is null)
        {
            problems.Add(Descriptors.InvalidCountsFile, location, name, CountsFiles.MissingMessage);
            return;
        }

        CountsFileContents contents = CountsFiles.Read(text.Path, text.GetText());
        if (contents.Problem is { } problem)
        {
            if (contents.CountsProblem)
            {
                problems.Add(Descriptors.InvalidCounts, location, $" in '{name}'", problem);
            }
            else
            {
                problems.Add(Descriptors.InvalidCountsFile, location, name, problem);
            }
        }
        else if (CountsFiles.ValidateSize(contents.Counts.Length, spec.Dimension) is { } size)
        {
            problems.Add(Descriptors.InvalidDimension, NamedArgument(syntax, "Dimension"), spec.Dimension, size);
        }
    }
}
