using System;
using SoftmaxGen;

namespace SoftmaxGen.Training;

/// <summary>
/// A bigram language model with a hierarchical softmax: the previous word's embedding h predicts the next word through the
/// Huffman tree of the word counts, so one example costs D·(path length) multiply-adds instead of D·V. The embeddings and the
/// tree's node weights are trained together by SGD on −log p(next | previous).
/// </summary>
internal static partial class HierarchicalBigrams
{
    private const int Dimension = 16;

    /// <summary>A made-up vocabulary and the counts its Huffman tree is built from at compile time.</summary>
    private static readonly string[] Words =
        ["the", "cat", "dog", "sat", "ran", "on", "mat", "log", "a", "big", "small", "and", "slept", "fast", "home", "today"];

    /// <summary>log p(next | h) and its gradients, accumulated into the two gradient spans.</summary>
    [HierarchicalSoftmax(Counts = new[] { 900, 300, 280, 250, 230, 400, 150, 140, 500, 120, 110, 260, 90, 80, 70, 60 }, Dimension = Dimension)]
    private static partial float LogProbability(
        ReadOnlySpan<float> hidden, ReadOnlySpan<float> nodeWeights, int classIndex, Span<float> hiddenGradient, Span<float> nodeWeightGradient);

    /// <summary>log p(word | h) for every word, each node's dot product computed once.</summary>
    [HierarchicalSoftmax(Counts = new[] { 900, 300, 280, 250, 230, 400, 150, 140, 500, 120, 110, 260, 90, 80, 70, 60 }, Dimension = Dimension)]
    private static partial void LogProbabilities(ReadOnlySpan<float> hidden, ReadOnlySpan<float> nodeWeights, Span<float> logProbabilities);

    public static void Run()
    {
        int v = Words.Length;
        var random = new Random(3);

        // A corpus from a fixed "grammar": each word has two likely successors (70 % and 20 %), else any word.
        int[] corpus = new int[20000];
        for (int i = 1; i < corpus.Length; i++)
        {
            int previous = corpus[i - 1];
            double u = random.NextDouble();
            corpus[i] = u < 0.7 ? ((previous * 5) + 1) % v : u < 0.9 ? ((previous * 3) + 2) % v : random.Next(v);
        }

        float[] embeddings = new float[v * Dimension];
        for (int i = 0; i < embeddings.Length; i++) embeddings[i] = (float)((random.NextDouble() - 0.5) * 0.2);
        float[] nodeWeights = new float[(v - 1) * Dimension];
        float[] nodeGradient = new float[nodeWeights.Length];
        float[] hiddenGradient = new float[Dimension];
        const float LearningRate = 0.1f;
        const int Batch = 32, Steps = 600;

        Console.WriteLine();
        Console.WriteLine($"hierarchical softmax bigrams: {v} words, D = {Dimension}, {Steps} SGD steps of {Batch} pairs (uniform loss log {v} = {Math.Log(v):F3})");
        double running = 0;
        for (int step = 1; step <= Steps; step++)
        {
            Array.Clear(nodeGradient);
            double loss = 0;
            for (int b = 0; b < Batch; b++)
            {
                int i = 1 + random.Next(corpus.Length - 1);
                Span<float> h = embeddings.AsSpan(corpus[i - 1] * Dimension, Dimension);
                Array.Clear(hiddenGradient);

                // Gradients of log p: adding them is descent on the loss −log p.
                loss -= LogProbability(h, nodeWeights, corpus[i], hiddenGradient, nodeGradient);
                for (int d = 0; d < Dimension; d++) h[d] += LearningRate * hiddenGradient[d];
            }

            for (int j = 0; j < nodeWeights.Length; j++) nodeWeights[j] += LearningRate * nodeGradient[j] / Batch;
            running += loss / Batch;
            if (step % 100 == 0 || step == 1)
            {
                Console.WriteLine($"step {step,3}: mean loss {(step == 1 ? running : running / 100):F4}");
                running = 0;
            }
        }

        // The learnt distribution after "the": every word's probability from one walk of the tree.
        Span<float> lp = stackalloc float[v];
        LogProbabilities(embeddings.AsSpan(0, Dimension), nodeWeights, lp);
        double total = 0;
        int best = 0;
        for (int w = 0; w < v; w++)
        {
            total += Math.Exp(lp[w]);
            if (lp[w] > lp[best]) best = w;
        }

        Console.WriteLine($"after \"the\": most likely \"{Words[best]}\" (p = {Math.Exp(lp[best]):F2}; the grammar's 0.70 + 0.1/{v}), Σ p = {total:F6}");
    }
}
