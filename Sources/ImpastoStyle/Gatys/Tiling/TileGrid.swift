import ImpastoModels

/// A rectangle of pixels (or of feature positions): `rows` × `columns`, half-open.
public struct PixelWindow: Sendable, Equatable {
    public var rows: Range<Int>
    public var columns: Range<Int>

    public init(rows: Range<Int>, columns: Range<Int>) {
        self.rows = rows
        self.columns = columns
    }

    public var height: Int { rows.count }
    public var width: Int { columns.count }

    /// The same window at a layer `stride` times coarser (floor at the far edges, as the pools
    /// floor); both lower bounds must be multiples of `stride`.
    func pooled(by stride: Int) -> PixelWindow {
        PixelWindow(rows: rows.lowerBound / stride..<rows.upperBound / stride,
                    columns: columns.lowerBound / stride..<columns.upperBound / stride)
    }

    /// This window in the coordinates of `outer`, which contains it.
    func relative(to outer: PixelWindow) -> PixelWindow {
        PixelWindow(rows: rows.lowerBound - outer.rows.lowerBound..<rows.upperBound - outer.rows.lowerBound,
                    columns: columns.lowerBound - outer.columns.lowerBound..<columns.upperBound - outer.columns.lowerBound)
    }
}

/// The tiles covering a `height × width` image for features up to `deepest`: their interiors
/// partition the image into near-equal parts of at most the tile size; each tile's window is its
/// interior with the halo on every side, moved inward where it would cross the image's edge.
///
/// Every window has the same size, so each tile's pass asks for the buffers the one before gave
/// back and ImpastoCore's `BufferPool` holds one tile's worth, not one per shape of tile (at
/// 1024×768 with clipped windows of two shapes the peak was 3.7 GB, not 2.5). Windows and
/// interiors start at multiples of the pooling stride at `deepest` (16 for block 5), so every
/// tile's pooling windows are the whole image's and an interior's features sit on whole
/// feature positions.
public struct TileGrid: Sendable {
    public struct Tile: Sendable, Equatable {
        /// The pixels whose features this tile contributes.
        public var interior: PixelWindow
        /// The pixels the network sees: the interior, its halo, and more on the side away from
        /// an image edge.
        public var window: PixelWindow
    }

    public let height: Int
    public let width: Int
    public let tiles: [Tile]

    public init(height: Int, width: Int, settings: TileSettings, deepest: VGG19.Layer) {
        let stride = VGG19.minimumSide(for: deepest)
        let halo = settings.effectiveHalo(for: deepest)
        let side = max(stride, (settings.size + stride - 1) / stride * stride)
        self.height = height
        self.width = width
        let rows = Self.axis(length: height, side: side, stride: stride, halo: halo)
        let columns = Self.axis(length: width, side: side, stride: stride, halo: halo)
        tiles = rows.flatMap { row in
            columns.map { column in
                Tile(interior: PixelWindow(rows: row.interior, columns: column.interior),
                     window: PixelWindow(rows: row.window, columns: column.window))
            }
        }
    }

    /// The interiors along one axis and their windows. Interiors are the fewest spans of at most
    /// `side` (in whole strides), equal but for the last; a last span shorter than `stride` (it
    /// would hold no feature at the deepest layer) joins the one before. Windows are the longest
    /// interior plus a halo each side, plus `length mod stride` so that one ending at the image's
    /// edge starts on a stride.
    static func axis(length: Int, side: Int, stride: Int, halo: Int) -> [(interior: Range<Int>, window: Range<Int>)] {
        let count = (length + side - 1) / side
        let span = ((length + count - 1) / count + stride - 1) / stride * stride
        var starts = Array(Swift.stride(from: 0, to: length, by: span))
        if starts.count > 1, length - starts.last! < stride { starts.removeLast() }
        let size = span + 2 * halo + length % stride
        return starts.indices.map { index in
            let interior = starts[index]..<(index + 1 < starts.count ? starts[index + 1] : length)
            guard size < length else { return (interior, 0..<length) }
            let start = min(max(0, interior.lowerBound - halo), length - size)
            return (interior, start..<start + size)
        }
    }

    /// Where `tile`'s interior features lie in the features of its window, at `layer`.
    public func interiorFeatures(of tile: Tile, at layer: VGG19.Layer) -> PixelWindow {
        let stride = VGG19.minimumSide(for: layer)
        return tile.interior.pooled(by: stride).relative(to: tile.window.pooled(by: stride))
    }

    /// Where `tile`'s interior features lie in the whole image's features, at `layer`.
    public func wholeImageFeatures(of tile: Tile, at layer: VGG19.Layer) -> PixelWindow {
        tile.interior.pooled(by: VGG19.minimumSide(for: layer))
    }
}
