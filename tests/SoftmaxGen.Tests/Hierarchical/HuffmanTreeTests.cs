using SoftmaxGen.Generation.Model;

namespace SoftmaxGen.Tests.Hierarchical;

/// <summary>The compile-time tree: code lengths, optimality, the documented tie-breaking, and the tables' invariants.</summary>
public class HuffmanTreeTests
{
    public static TheoryData<int[]> CountSets => new()
    {
        new[] { 1, 1 },
        new[] { 0, 5 },
        new[] { 5, 5, 5, 5, 5, 5, 5, 5 },
        new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 },
        new[] { 0, 0, 0, 0, 0, 1 },
        new[] { 9, 0, 3, 3, 3, 0, 1, 27, 2 },
        Enumerable.Range(0, 30).Select(i => 1 << i).ToArray(),
        Enumerable.Range(1, 1000).Select(r => 1000000 / r).ToArray(),
        Enumerable.Range(0, 777).Select(i => (int)((i * 2654435761L) % 1000)).ToArray(),
    };

    [Theory]
    [MemberData(nameof(CountSets))]
    public void Depths_AreTheIndependentHuffmanCodeLengths_AndOptimal(int[] counts)
    {
        HuffmanTree tree = HuffmanTree.Build(counts);
        int[] lengths = HuffmanCodeLengths.Of(counts);
        Assert.Equal(lengths, tree.Depth);
        Assert.Equal(tree.Depth.Max(), tree.MaxDepth);

        // Kraft equality: a full binary tree.
        double kraft = tree.Depth.Sum(d => Math.Pow(2, -d));
        Assert.Equal(1.0, kraft, 12);
    }

    [Theory]
    [MemberData(nameof(CountSets))]
    public void Tables_DescribeOneTree(int[] counts)
    {
        HuffmanTree tree = HuffmanTree.Build(counts);
        int k = counts.Length;

        // Every class is a leaf exactly once, every non-root node a child exactly once, children after parents (breadth-first).
        int[] leafSeen = new int[k], nodeSeen = new int[k - 1];
        for (int n = 0; n < k - 1; n++)
        {
            for (int side = 0; side < 2; side++)
            {
                int child = tree.Children[(2 * n) + side];
                if (child < 0)
                {
                    leafSeen[~child]++;
                    Assert.Equal((2 * n) + side, tree.ParentOfClass[~child]);
                }
                else
                {
                    Assert.True(child > n);
                    nodeSeen[child]++;
                    Assert.Equal((2 * n) + side, tree.ParentOfNode[child]);
                }
            }
        }

        Assert.All(leafSeen, s => Assert.Equal(1, s));
        Assert.Equal(0, nodeSeen[0]);
        Assert.All(nodeSeen.Skip(1), s => Assert.Equal(1, s));

        // The parking slots of the all-classes walk are distinct, and each lies below its node's child 1.
        Assert.Equal(k - 1, tree.Slot.Distinct().Count());
        for (int n = 0; n < k - 1; n++)
        {
            int e = tree.ParentOfClass[tree.Slot[n]];
            bool below = false;
            while (true)
            {
                int parent = e >> 1;
                if (parent == n)
                {
                    below = (e & 1) == 1;
                    break;
                }

                if (parent == 0)
                {
                    break;
                }

                e = tree.ParentOfNode[parent];
            }

            Assert.True(below, $"slot of node {n}");
        }
    }

    [Fact]
    public void Ties_TakeLeavesFirst_InClassOrder()
    {
        // Four equal counts: leaves 0 and 1 merge first, then 2 and 3 (leaves before the new node of equal weight); the root's
        // child 0 is the first merged pair.
        HuffmanTree tree = HuffmanTree.Build([2, 2, 2, 2]);
        Assert.Equal([2, 2, 2, 2], tree.Depth);
        Assert.Equal([1, 2, ~0, ~1, ~2, ~3], tree.Children);

        // Equal counts of a leaf and a merged node: the leaf is taken first, so it becomes child 0.
        HuffmanTree mixed = HuffmanTree.Build([1, 1, 2]);
        Assert.Equal([~2, 1, ~0, ~1], mixed.Children);
    }

    [Fact]
    public void TooFewClasses_Throw() => Assert.Throws<ArgumentException>(() => HuffmanTree.Build([3]));
}
