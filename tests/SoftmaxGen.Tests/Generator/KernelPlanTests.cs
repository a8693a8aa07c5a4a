using SoftmaxGen.Generation.Model;
using SoftmaxGen.Generation.Plan;

namespace SoftmaxGen.Tests.Generator;

/// <summary>The code-path decisions of <see cref="KernelPlan"/>, checked on specs directly (nothing is emitted or compiled).</summary>
public class KernelPlanTests
{
    /// <summary>What a net10.0 compilation offers (every width, the .NET 9 vector API, AVX-512F).</summary>
    private static readonly TargetFacts Net10 = new(true, true, HasVector128: true, HasVector256: true, HasVector512: true, HasVectorMath: true, HasAvx512F: true);

    /// <summary>netstandard2.0: no System.Runtime.Intrinsics at all.</summary>
    private static readonly TargetFacts NetStandard = new(false, true);

    /// <summary>.NET 8: the vector types, but not the .NET 9 vector API the SIMD rows use.</summary>
    private static readonly TargetFacts Net8 = new(true, true, HasVector128: true, HasVector256: true, HasVector512: true, HasAvx512F: true);

    private static KernelSpec Spec(KernelOp op, ElementType element, int k, KernelForm form = KernelForm.Separate, double? temperature = null, bool runtimeTemperature = false) =>
        new(null, new EquatableArray<TypeDeclaration>([]), "M", "public static partial", op, form, element, k, temperature, false, new EquatableArray<KernelParameter>([]), runtimeTemperature, "M.g.cs");

    private static int[] Bits(IReadOnlyList<VectorWidth> widths) => [.. widths.Select(w => w.Bits)];

    [Fact]
    public void FloatSoftmax10_RowsOnTheWidthsThatFit_BlocksOnEveryWidth_TransposedInRegisters()
    {
        KernelPlan plan = KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 10), Net10);
        Assert.Equal([256, 128], Bits(plan.RowWidths)); // 16 float lanes do not fit in K = 10
        Assert.Empty(plan.PackedWidths);
        Assert.Equal([512, 256, 128], Bits(plan.ShortRowWidths));
        Assert.True(plan.TransposesInRegisters && plan.UntransposesInRegisters);
        Assert.True(plan.TransposeInRegisters(new VectorWidth(512, 16)));
        Assert.False(plan.TransposeInRegisters(new VectorWidth(256, 8)));
        Assert.True(plan.HotMethods && plan.HasVectorPaths);
    }

    [Theory]
    [InlineData("float", 4, new[] { 512 }, new[] { 256, 128 })] // 16 lanes hold 4 rows; narrower widths transpose
    [InlineData("float", 2, new[] { 512, 256 }, new[] { 128 })]
    [InlineData("float", 8, new int[0], new[] { 512, 256, 128 })] // two rows per vector: the blocks win
    [InlineData("double", 2, new[] { 512 }, new[] { 256, 128 })]
    [InlineData("double", 4, new int[0], new[] { 512, 256, 128 })]
    public void PowerOfTwoSoftmax_PacksWhereFourRowsFit_AndTransposesElsewhere(string type, int k, int[] packed, int[] blocks)
    {
        ElementType element = type == "float" ? ElementType.Single : ElementType.Double;
        KernelPlan plan = KernelPlan.Create(Spec(KernelOp.Softmax, element, k), Net10);
        Assert.Equal(packed, Bits(plan.PackedWidths));
        Assert.Equal(blocks, Bits(plan.ShortRowWidths));
    }

    [Fact]
    public void MaskedRows_TakeTheVectorRowsAndTheBlocks_ButNotPackedRows()
    {
        KernelSignature masked = KernelOperations.Softmax.Signatures.Single(s => s.Slots.Contains(SlotKind.Mask));
        KernelPlan plan = KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 16) with { Signature = masked }, Net10);
        Assert.Equal([512, 256, 128], Bits(plan.RowWidths));
        Assert.Empty(plan.PackedWidths);
        Assert.Equal([512, 256, 128], Bits(plan.ShortRowWidths));

        // K = 4 is packed when unmasked; masked, its batches take the blocks on every width.
        KernelPlan four = KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 4) with { Signature = masked }, Net10);
        Assert.Empty(four.PackedWidths);
        Assert.Equal([512, 256, 128], Bits(four.ShortRowWidths));
    }

    [Fact]
    public void SoftminAndBases_AreScalar_AsTheTemperedForms()
    {
        Assert.False(KernelPlan.Create(Spec(KernelOp.Softmin, ElementType.Single, 16), Net10).HasVectorPaths);
        Assert.False(KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 16) with { Base = 2 }, Net10).HasVectorPaths);
        Assert.False(KernelPlan.Create(Spec(KernelOp.LogSumExp, ElementType.Double, 0, KernelForm.ScalarResult) with { Base = 0.5 }, Net10).HasVectorPaths);
    }

    [Fact]
    public void PackedRows_AreForSoftmaxOnly()
    {
        Assert.Empty(KernelPlan.Create(Spec(KernelOp.LogSoftmax, ElementType.Single, 4), Net10).PackedWidths);
        Assert.Equal([512, 256, 128], Bits(KernelPlan.Create(Spec(KernelOp.LogSoftmax, ElementType.Single, 4), Net10).ShortRowWidths));
    }

    [Fact]
    public void DoubleLogSumExpAnyK_RowsOnEveryWidth_NoBatches()
    {
        KernelPlan plan = KernelPlan.Create(Spec(KernelOp.LogSumExp, ElementType.Double, 0, KernelForm.ScalarResult), Net10);
        Assert.Equal([512, 256, 128], Bits(plan.RowWidths));
        Assert.False(plan.HasPackedRows || plan.HasShortRows);
    }

    [Fact]
    public void DoubleBlocks_GoBackElementWise_AndLogSumExpBlocksHaveNoWayBack()
    {
        KernelPlan d = KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Double, 10), Net10);
        Assert.True(d.TransposesInRegisters);
        Assert.False(d.UntransposesInRegisters);
        KernelPlan lse = KernelPlan.Create(Spec(KernelOp.LogSumExp, ElementType.Single, 10), Net10);
        Assert.True(lse.TransposesInRegisters);
        Assert.False(lse.UntransposesInRegisters);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(1000)]
    public void LongRows_TakeTheRowPathOnly(int k)
    {
        KernelPlan plan = KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, k), Net10);
        Assert.Equal([512, 256, 128], Bits(plan.RowWidths));
        Assert.False(plan.HasPackedRows || plan.HasShortRows);
    }

    [Fact]
    public void OneRowScalarLogSumExp_HasNoBatches()
    {
        KernelPlan plan = KernelPlan.Create(Spec(KernelOp.LogSumExp, ElementType.Single, 10, KernelForm.ScalarResult), Net10);
        Assert.Equal([256, 128], Bits(plan.RowWidths));
        Assert.False(plan.HasShortRows);
    }

    [Theory]
    [InlineData(nameof(KernelOp.SoftmaxJacobian))]
    [InlineData(nameof(KernelOp.SoftmaxBackward))]
    [InlineData(nameof(KernelOp.LogSoftmaxBackward))]
    public void BackwardAndJacobian_AreScalar(string op)
    {
        KernelPlan plan = KernelPlan.Create(Spec(Enum.Parse<KernelOp>(op), ElementType.Single, 10), Net10);
        Assert.False(plan.HasVectorPaths);
        Assert.True(plan.HotMethods);
    }

    [Fact]
    public void Temperature_OrATargetWithoutTheVectorApi_GivesScalarRows()
    {
        // A tempered softmax or log-sum-exp takes every vector path with the scaled exp; the other tempered forms are scalar.
        foreach (KernelPlan tempered in new[] { KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 10, temperature: 0.5), Net10),
                     KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Double, 4, runtimeTemperature: true), Net10) })
        {
            Assert.True(tempered.TemperedVectors && tempered.HasShortRows);
        }

        Assert.True(KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 4, runtimeTemperature: true), Net10).HasPackedRows);
        Assert.False(KernelPlan.Create(Spec(KernelOp.LogSoftmax, ElementType.Single, 10, temperature: 0.5), Net10).HasVectorPaths);
        Assert.True(KernelPlan.Create(Spec(KernelOp.LogSumExp, ElementType.Single, 10, runtimeTemperature: true), Net10).TemperedVectors);
        Assert.False(KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 10, temperature: 0.5) with { Base = 2 }, Net10).HasVectorPaths);
        Assert.False(KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 10), Net8).HasVectorPaths);
        Assert.True(KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 10), Net8).HotMethods);
        KernelPlan plan = KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 10), NetStandard);
        Assert.False(plan.HasVectorPaths || plan.HotMethods);
    }

    [Fact]
    public void WithoutAvx512F_BlocksAreTransposedElementWise()
    {
        KernelPlan plan = KernelPlan.Create(Spec(KernelOp.Softmax, ElementType.Single, 10), Net10 with { HasAvx512F = false });
        Assert.Equal([512, 256, 128], Bits(plan.ShortRowWidths));
        Assert.False(plan.TransposesInRegisters || plan.UntransposesInRegisters);
    }

    [Fact]
    public void EveryOperation_HasADescriptor_AndEveryDescriptorItsOwnOp()
    {
        foreach (KernelOp op in Enum.GetValues<KernelOp>())
        {
            Assert.Equal(op, KernelOperations.For(op).Op);
        }

        Assert.Equal(Enum.GetValues<KernelOp>(), KernelOperations.All.Select(o => o.Op));
        Assert.Throws<InvalidOperationException>(() => KernelOperations.For((KernelOp)99));
    }
}

/// <summary>The fused cross-entropy's vector rows: hard targets only, without a temperature or label smoothing.</summary>
public class CrossEntropyPlanTests
{
    private static readonly TargetFacts Net10 = new(true, true, HasVector128: true, HasVector256: true, HasVector512: true, HasVectorMath: true, HasAvx512F: true);

    private static KernelSpec Spec(int slot, ElementType element, int k, double smoothing = 0, double? temperature = null)
    {
        KernelSignature signature = KernelOperations.SoftmaxCrossEntropy.Signatures.First(s => s.Slots.Length == 3 && s.Slots[1] == (SlotKind)slot);
        return new(null, new EquatableArray<TypeDeclaration>([]), "M", "public static partial", KernelOp.SoftmaxCrossEntropy, signature.Form, element, k,
            temperature, false, new EquatableArray<KernelParameter>([]), false, "M.g.cs", signature, smoothing);
    }

    [Theory]
    [InlineData("int", "float", 10, new[] { 256, 128 })]
    [InlineData("ReadOnlySpan<int>", "float", 1000, new[] { 512, 256, 128 })]
    [InlineData("int", "double", 0, new[] { 512, 256, 128 })]
    [InlineData("ReadOnlySpan<int>", "double", 3, new[] { 128 })]
    [InlineData("int", "float", 3, new int[0])]
    [InlineData("ReadOnlySpan<T>", "float", 1000, new int[0])] // soft targets stay scalar
    public void HardTargets_TakeVectorRowsThatFit(string target, string element, int k, int[] bits)
    {
        SlotKind slot = target switch { "int" => SlotKind.Index, "ReadOnlySpan<int>" => SlotKind.Indices, _ => SlotKind.Values };
        KernelPlan plan = KernelPlan.Create(Spec((int)slot, element == "float" ? ElementType.Single : ElementType.Double, k), Net10);
        Assert.Equal(bits, plan.OwnRowWidths.Select(w => w.Bits).ToArray());
        Assert.Empty(plan.RowWidths);
        Assert.Empty(plan.ShortRowWidths);
        Assert.Equal(bits.Length > 0, plan.HasVectorPaths);
    }

    [Fact]
    public void Temperature_Smoothing_OrNoVectorApi_AreScalar()
    {
        Assert.Empty(KernelPlan.Create(Spec((int)SlotKind.Index, ElementType.Single, 1000, temperature: 2), Net10).OwnRowWidths);
        Assert.Empty(KernelPlan.Create(Spec((int)SlotKind.Index, ElementType.Single, 1000, smoothing: 0.1), Net10).OwnRowWidths);
        Assert.Empty(KernelPlan.Create(Spec((int)SlotKind.Index, ElementType.Single, 1000), new TargetFacts(true, true)).OwnRowWidths);
    }
}
