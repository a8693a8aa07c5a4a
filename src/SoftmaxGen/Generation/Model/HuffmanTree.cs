using System;

namespace SoftmaxGen.Generation.Model;

/// <summary>
/// The Huffman tree over the class counts of a <c>[HierarchicalSoftmax]</c> kernel, built at compile time.
/// <para>
/// Construction (deterministic): the K leaves are sorted by (count, class index) ascending; the two-queue method then merges the
/// two lightest subtrees K − 1 times. On equal weights a leaf is taken before an internal node, leaves in the sorted order,
/// internal nodes in the order they were made (this keeps the tree as shallow as Huffman allows). The first subtree taken becomes
/// the node's child 0 ("left", code bit 0), the second its child 1. The K − 1 internal nodes are then numbered breadth-first
/// from the root (node 0), child 0 before child 1; node n owns row n of the (K − 1) × D node weights.
/// </para>
/// <para>
/// Going to child 0 of node n has probability σ(d_n) and to child 1 σ(−d_n), d_n = ⟨w_n, h⟩.
/// </para>
/// </summary>
internal sealed class HuffmanTree
{
    private HuffmanTree(int classCount)
    {
        ClassCount = classCount;
        Children = new int[2 * (classCount - 1)];
        ParentOfClass = new int[classCount];
        ParentOfNode = new int[classCount - 1];
        Depth = new int[classCount];
        Slot = new int[classCount - 1];
    }

    /// <summary>K, the number of classes (leaves).</summary>
    public int ClassCount { get; }

    /// <summary>
    /// Children[2n + b] is child b of internal node n: an internal node index m ≥ 0, or a leaf as ~c (negative) for class c.
    /// </summary>
    public int[] Children { get; }

    /// <summary>(parent node · 2 + side) of class c's leaf; side 0 is child 0 (σ(+d)), side 1 child 1 (σ(−d)).</summary>
    public int[] ParentOfClass { get; }

    /// <summary>(parent node · 2 + side) of internal node n ≥ 1; entry 0 (the root) is −1.</summary>
    public int[] ParentOfNode { get; }

    /// <summary>The path length (Huffman code length) of each class.</summary>
    public int[] Depth { get; }

    /// <summary>
    /// For the all-classes kernel: the class whose output slot holds node n's path sum until that class's own value is written —
    /// the leftmost leaf of n's child 1. Distinct for distinct nodes (it is the last child-1 step on that leaf's path), and that
    /// leaf's value is written only below n, after n is read.
    /// </summary>
    public int[] Slot { get; }

    /// <summary>The longest path.</summary>
    public int MaxDepth { get; private set; }

    /// <summary>Builds the tree; <paramref name="counts"/> must hold at least 2 non-negative counts.</summary>
    public static HuffmanTree Build(ReadOnlySpan<int> counts)
    {
        int k = counts.Length;
        if (k < 2)
        {
            throw new ArgumentException("A Huffman tree needs at least 2 classes.", nameof(counts));
        }

        // Leaves by (count, class index).
        int[] order = new int[k];
        long[] keys = new long[k];
        for (int c = 0; c < k; c++)
        {
            order[c] = c;
            keys[c] = ((long)counts[c] << 32) | (uint)c;
        }

        Array.Sort(keys, order);

        // Two queues: sorted leaves, and internal nodes in creation order (their weights never decrease).
        // Made nodes: made[i] = (child0, child1) with leaves as ~c and made nodes as their creation index.
        int made = k - 1;
        var first = new int[made];
        var second = new int[made];
        var weight = new long[made];
        int leaf = 0, node = 0;
        for (int i = 0; i < made; i++)
        {
            int a = Take(counts, order, weight, ref leaf, ref node, i, out long wa);
            int b = Take(counts, order, weight, ref leaf, ref node, i, out long wb);
            first[i] = a;
            second[i] = b;
            weight[i] = wa + wb;
        }

        // Breadth-first numbering from the root (the last node made).
        var tree = new HuffmanTree(k);
        var madeOfBfs = new int[made];
        madeOfBfs[0] = made - 1;
        int next = 1;
        for (int n = 0; n < made; n++)
        {
            int m = madeOfBfs[n];
            for (int side = 0; side < 2; side++)
            {
                int child = side == 0 ? first[m] : second[m];
                if (child < 0)
                {
                    tree.Children[(2 * n) + side] = child;
                }
                else
                {
                    madeOfBfs[next] = child;
                    tree.Children[(2 * n) + side] = next++;
                }
            }
        }

        // Parents, depths (parents come before children breadth-first) and the leftmost leaf of every node.
        var nodeDepth = new int[made];
        var leftmost = new int[made];
        tree.ParentOfNode[0] = -1;
        for (int n = 0; n < made; n++)
        {
            for (int side = 0; side < 2; side++)
            {
                int child = tree.Children[(2 * n) + side];
                if (child < 0)
                {
                    tree.ParentOfClass[~child] = (2 * n) + side;
                    tree.Depth[~child] = nodeDepth[n] + 1;
                    tree.MaxDepth = Math.Max(tree.MaxDepth, nodeDepth[n] + 1);
                }
                else
                {
                    tree.ParentOfNode[child] = (2 * n) + side;
                    nodeDepth[child] = nodeDepth[n] + 1;
                }
            }
        }

        for (int n = made - 1; n >= 0; n--)
        {
            int child0 = tree.Children[2 * n];
            leftmost[n] = child0 < 0 ? ~child0 : leftmost[child0];
        }

        for (int n = 0; n < made; n++)
        {
            int child1 = tree.Children[(2 * n) + 1];
            tree.Slot[n] = child1 < 0 ? ~child1 : leftmost[child1];
        }

        return tree;
    }

    /// <summary>The lighter queue head (a leaf on ties), as ~class for a leaf or a creation index.</summary>
    private static int Take(ReadOnlySpan<int> counts, int[] order, long[] weight, ref int leaf, ref int node, int madeSoFar, out long w)
    {
        bool leafLeft = leaf < order.Length;
        bool nodeLeft = node < madeSoFar;
        if (leafLeft && (!nodeLeft || counts[order[leaf]] <= weight[node]))
        {
            w = counts[order[leaf]];
            return ~order[leaf++];
        }

        w = weight[node];
        return node++;
    }
}
