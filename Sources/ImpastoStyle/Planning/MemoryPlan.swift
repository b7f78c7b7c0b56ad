/// An estimate, made before a run, of the most memory the run will hold at once (its peak
/// resident set), in named parts.
///
/// It is derived from what the engine allocates, not fitted to measurements: the tensor buffers
/// a computation takes and gives back are written down op by op (`BufferTrace`) and replayed
/// under the buffer pool's rules (`PoolReplay`), since the pool keeps freed buffers resident for
/// reuse; the optimiser's arrays and the network's weights are counted from their sizes; only
/// the process's own footprint (runtime, libraries, oneDNN's code) is a measured constant. The
/// model, part by part and with its measured accuracy, is in docs/memory.md.
public struct MemoryPlan: Sendable, Equatable, CustomStringConvertible {
    public struct Part: Sendable, Equatable {
        public var name: String
        public var bytes: Int

        public init(name: String, bytes: Int) {
            self.name = name
            self.bytes = bytes
        }
    }

    public var parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// The estimated peak: the sum of the parts.
    public var peak: MemorySize { MemorySize(bytes: parts.map(\.bytes).reduce(0, +)) }

    /// `NAME SIZE` per part, then the peak.
    public var description: String {
        (parts.map { "\($0.name): \(MemorySize(bytes: $0.bytes))" } + ["peak: \(peak)"]).joined(separator: "; ")
    }

    /// The process besides its tensors: the Swift runtime, Foundation, libvips, oneDNN with its
    /// primitives and generated kernels, and the allocator's slack. Measured (docs/memory.md):
    /// `impasto stylize` at 32 pixels with direct convolutions, whose tensors are a few MiB,
    /// peaked at this plus the VGG19 weights and their copies.
    static let processBytes = 90 << 20
}
