using Microsoft.CodeAnalysis.Testing;
using SoftmaxGen.CodeFixes;
using SoftmaxGen.Tests.Analyzers;

namespace SoftmaxGen.Tests.CodeFixes;

/// <summary>
/// Fix All in a document, a project and the solution gives the same text as fixing one diagnostic at a time (the
/// framework checks all three scopes against <see cref="FixAllCases.Fixed"/>), over two projects and three documents
/// with two softmaxes sharing one statement, an expression-bodied log-sum-exp that keeps its diagnostic (no
/// statement to put the max pass before), and the generated-kernel fix next to shapes it does not apply to.
/// </summary>
public class FixAllTests
{
    public static TheoryData<string> Keys => new(FixAllCases.Fixed.Keys);

    [Theory]
    [MemberData(nameof(Keys))]
    public Task FixAll_EqualsOneAtATime(string key)
    {
        string[] input = FixAllCases.Input;
        string[] expected = FixAllCases.Fixed[key];
        var test = new StabilityCodeFixTest<UnshiftedSoftmaxCodeFixProvider>(input[0] + "\n", expected[0] + "\n", key);
        test.TestState.Sources.Add(("/0/Test1.cs", input[1] + "\n"));
        test.FixedState.Sources.Add(("/0/Test1.cs", expected[1] + "\n"));
        test.TestState.AdditionalProjects.Add("Second", Project("Second", input[2]));
        test.FixedState.AdditionalProjects.Add("Second", Project("Second", expected[2]));
        // Diagnostics the fix could still fix (SMX1002 after an SMX1001 fix) are expected from the fixed markup too.
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        Assert.NotEqual(input, expected);
        return test.RunAsync();
    }

    private static ProjectState Project(string name, string source)
    {
        var project = new ProjectState(name, Microsoft.CodeAnalysis.LanguageNames.CSharp, "/" + name + "/Test", "cs") { ReferenceAssemblies = TestReferences.None };
        project.Sources.Add(("/" + name + "/Test0.cs", source + "\n"));
        project.AdditionalReferences.AddRange(TestReferences.Net100);
        return project;
    }
}
