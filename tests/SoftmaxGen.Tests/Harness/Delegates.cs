namespace SoftmaxGen.Tests.Harness;

/// <summary>Span signatures of the generated kernels, for binding them from a loaded assembly.</summary>
public delegate void Map<T>(ReadOnlySpan<T> input, Span<T> output);

public delegate void MapT<T>(ReadOnlySpan<T> input, Span<T> output, T temperature);

public delegate void InPlace<T>(Span<T> values);

public delegate void InPlaceT<T>(Span<T> values, T temperature);

public delegate T Reduce<T>(ReadOnlySpan<T> input);

public delegate T ReduceT<T>(ReadOnlySpan<T> input, T temperature);

public delegate void Map2<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output);

public delegate void Map2T<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output, T temperature);
