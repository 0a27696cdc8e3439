using Microsoft.ML;
using Microsoft.ML.Data;

namespace Tandem.Features.Learning;

/// <summary>
/// Rows of an <see cref="Examples"/> as ML.NET reads them (a Boolean <c>Label</c> and a <c>Features</c> vector), encoded on the
/// fly into the vector ML.NET hands the getter. Nothing is built per person: no row object and no array, so training, the
/// validation and test predictions, permutation importance and a scoring pass over a million people each encode a row once,
/// straight into ML.NET's buffer (an enumerable of rows built a float[] per person, which ML.NET then copied again).
/// Every cursor keeps its own position, so ML.NET may open several at once (the trainers do).
/// </summary>
internal sealed class EncodedView : IDataView
{
    private readonly RowEncoder _encoder;
    private readonly IReadOnlyList<int>? _rows;
    private readonly int _count;
    private readonly bool[]? _labels;
    /// <summary>Permutation importance: feature <c>Feature</c> of position k is read from position <c>From[k]</c>.</summary>
    private readonly (int Feature, int[] From)? _swap;

    /// <param name="rows">Rows of the encoder to read, in order; null for rows 0..<paramref name="count"/>.</param>
    /// <param name="labels">Labels by encoder row (training and measuring); null when scoring (every label false).</param>
    public EncodedView(RowEncoder encoder, IReadOnlyList<int>? rows, int count, bool[]? labels, (int Feature, int[] From)? swap = null)
    {
        (_encoder, _rows, _count, _labels, _swap) = (encoder, rows, count, labels, swap);
        Schema = SchemaOf(encoder.Width);
    }

    public static DataViewSchema SchemaOf(int width)
    {
        var b = new DataViewSchema.Builder();
        b.AddColumn("Label", BooleanDataViewType.Instance);
        b.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, width));
        return b.ToSchema();
    }

    public DataViewSchema Schema { get; }
    public bool CanShuffle => false;
    public long? GetRowCount() => _count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private int Row(long position) => _rows?[(int)position] ?? (int)position;

    private void Write(long position, Span<float> v)
    {
        _encoder.Write(Row(position), v);
        if (_swap is { } s) _encoder.WriteFeature(s.Feature, Row(s.From[position]), v);
    }

    private sealed class Cursor(EncodedView view, IEnumerable<DataViewSchema.Column> needed) : DataViewRowCursor
    {
        private readonly bool[] _active = ActiveOf(view.Schema, needed);
        private long _position = -1;

        private static bool[] ActiveOf(DataViewSchema schema, IEnumerable<DataViewSchema.Column> needed)
        {
            var active = new bool[schema.Count];
            foreach (var c in needed) active[c.Index] = true;
            return active;
        }

        public override DataViewSchema Schema => view.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= view._count) { _position = view._count; return false; }
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0 && typeof(TValue) == typeof(bool))
            {
                ValueGetter<bool> label = (ref bool value) => value = view._labels is { } l && l[view.Row(_position)];
                return (ValueGetter<TValue>)(Delegate)label;
            }
            if (column.Index == 1 && typeof(TValue) == typeof(VBuffer<float>))
            {
                var width = view._encoder.Width;
                ValueGetter<VBuffer<float>> features = (ref VBuffer<float> value) =>
                {
                    // The editor reuses the caller's array when it is big enough: one buffer per consumer, refilled per row.
                    var editor = VBufferEditor.Create(ref value, width);
                    view.Write(_position, editor.Values);
                    value = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)features;
            }
            throw new InvalidOperationException($"Column {column.Name} is not of type {typeof(TValue).Name}.");
        }
    }
}
