using System;
using System.Linq;
using SoftmaxGen.Training;

// Softmax regression on data it makes itself: Classes Gaussian clusters in Dimensions dimensions.
const int Samples = 4000, Epochs = 30, BatchSize = 100;
const float LearningRate = 0.5f;
var random = new Random(7);
var (inputs, labels) = Classifier.MakeClusters(random, Samples);
int trainCount = Samples * 3 / 4;
var model = new Classifier();

float[] logits = new float[BatchSize * Classifier.Classes];
float[] gradients = new float[logits.Length];
float[] losses = new float[BatchSize];
int[] order = Enumerable.Range(0, trainCount).ToArray();
Console.WriteLine($"softmax regression: {Classifier.Classes} classes, {Classifier.Dimensions} dimensions, {trainCount} training and {Samples - trainCount} test samples");
for (int epoch = 1; epoch <= Epochs; epoch++)
{
    random.Shuffle(order);
    double epochLoss = 0;
    for (int start = 0; start + BatchSize <= trainCount; start += BatchSize)
    {
        int[] batch = order[start..(start + BatchSize)];
        int[] batchLabels = batch.Select(i => labels[i]).ToArray();
        model.Logits(inputs, batch, logits);

        // One call: the smoothed cross-entropy of every row and ∂loss/∂logits, stable for any logits.
        Losses.CrossEntropy(logits, batchLabels, losses, gradients);
        epochLoss += losses.Sum();
        model.Step(inputs, batch, gradients, LearningRate / BatchSize);
    }

    if (epoch == 1 || epoch % 5 == 0)
    {
        Console.WriteLine($"epoch {epoch,2}: mean loss {epochLoss / trainCount:F4}");
    }
}

int[] test = Enumerable.Range(trainCount, Samples - trainCount).ToArray();
float[] testLogits = new float[test.Length * Classifier.Classes];
model.Logits(inputs, test, testLogits);
int correct = test.Select((sample, row) => Classifier.ArgMax(testLogits.AsSpan(row * Classifier.Classes, Classifier.Classes)) == labels[sample] ? 1 : 0).Sum();
float[] entropies = new float[test.Length];
Losses.Entropy(testLogits, entropies);
Console.WriteLine($"test accuracy: {100.0 * correct / test.Length:F1} % ({correct} of {test.Length}); mean predictive entropy {entropies.Average():F3} nats (log {Classifier.Classes} = {Math.Log(Classifier.Classes):F3})");

// A second model: a bigram language model whose output layer is a hierarchical softmax.
HierarchicalBigrams.Run();
