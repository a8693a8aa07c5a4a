using System;
using System.Collections.Generic;
using System.Text;
using SoftmaxGen;

// A character-bigram language model: logits[a, b] = log(count(a followed by b) + α) over the characters of the paragraph
// below, then text generated one character at a time by [SoftmaxSample] at several temperatures and with top-p.
// Deterministic: every run prints the same text (fixed seed).

const string Corpus =
    "The softmax turns a row of scores into probabilities: each score is exponentiated and divided by the sum of them all. " +
    "Subtracting the largest score first changes nothing in the result but keeps every exponential at most one, so nothing " +
    "overflows. A language model ends in such a row, one score for every token it knows, and writing text means drawing " +
    "one token after another from it. A low temperature sharpens the row toward the most likely token; a high one flattens " +
    "it toward noise. Nucleus sampling keeps only the most likely tokens whose probabilities reach a chosen share, and so " +
    "cuts off the long tail of unlikely ones that would otherwise now and then turn the text into gibberish.";

string alphabet = string.Concat(new SortedSet<char>(Corpus));
int k = alphabet.Length;
if (k > Sampler.K)
{
    throw new InvalidOperationException($"The corpus has {k} distinct characters; Sampler.K is {Sampler.K}.");
}

// Bigram counts with add-α smoothing, as log-probabilities; characters beyond the alphabet are masked with −∞.
var logits = new float[Sampler.K * Sampler.K];
Array.Fill(logits, float.NegativeInfinity);
var counts = new int[k, k];
for (int i = 0; i + 1 < Corpus.Length; i++)
{
    counts[alphabet.IndexOf(Corpus[i]), alphabet.IndexOf(Corpus[i + 1])]++;
}

for (int a = 0; a < k; a++)
{
    for (int b = 0; b < k; b++)
    {
        logits[(a * Sampler.K) + b] = MathF.Log(counts[a, b] + 0.05f);
    }
}

Console.WriteLine($"Character bigrams over {k} characters, {Corpus.Length} characters of text.");
Console.WriteLine();
foreach (float temperature in new[] { 0.5f, 1f, 1.5f })
{
    Console.WriteLine($"T = {temperature}:");
    Console.WriteLine(Generate((row, random) => Sampler.Next(row, random, temperature)));
    Console.WriteLine();
}

Console.WriteLine("T = 1, TopP = 0.9:");
Console.WriteLine(Generate(Sampler.NextNucleus));

string Generate(Func<ReadOnlySpan<float>, Random, int> next)
{
    var random = new Random(2026);
    var text = new StringBuilder("The ");
    int current = alphabet.IndexOf(' ');
    for (int i = 0; i < 240; i++)
    {
        current = next(logits.AsSpan(current * Sampler.K, Sampler.K), random);
        text.Append(alphabet[current]);
    }

    return text.ToString();
}

internal static partial class Sampler
{
    /// <summary>Room for up to 64 distinct characters; unused columns hold −∞ and are never drawn.</summary>
    public const int K = 64;

    /// <summary>The next character from softmax(logits / T).</summary>
    [SoftmaxSample(K)]
    public static partial int Next(ReadOnlySpan<float> logits, Random random, float temperature);

    /// <summary>The next character from the smallest set of likeliest characters holding 90 % of the probability.</summary>
    [SoftmaxSample(K, TopP = 0.9)]
    public static partial int NextNucleus(ReadOnlySpan<float> logits, Random random);
}
