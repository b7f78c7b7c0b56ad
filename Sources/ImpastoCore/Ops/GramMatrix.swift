/// The Gram matrix of each image's feature maps: `G = F·Fᵀ / divisor`, where F is the
/// `C × (H·W)` matrix of one image's features.
///
/// - Parameters:
///   - features: `N × C × H × W`, any layout (reordered to NCHW for the product).
///   - divisor: the tutorial divides by `H·W`; other normalisations pass their own.
/// - Returns: `N × 1 × C × C`, NCHW.
///
/// Both the product and its pullback `dF = (dG + dGᵀ)·F / divisor` run as oneDNN matmuls.
public func gramMatrix(_ features: Tensor, divisor: Float) -> Tensor {
    let shape = features.shape
    let (n, c, pixels) = (shape.n, shape.c, shape.h * shape.w)
    let plain = features.storage(in: .nchw)
    let product = Kernels.matrixProduct(plain.pointer, plain.pointer, batch: n, m: c, k: pixels, n: c,
                                        transposeB: true, scale: 1 / divisor)
    let gram = Tensor(shape: Shape(n, 1, c, c), layout: .nchw, storage: product)
    return Tape.record("gram", inputs: [features], output: gram) { dG, _ in
        let symmetric = symmetrised(dG.storage(in: .nchw), batch: n, size: c)
        let dF = Kernels.matrixProduct(symmetric.pointer, plain.pointer, batch: n, m: c, k: c, n: pixels,
                                       transposeB: false, scale: 1 / divisor)
        return [Tensor(shape: shape, layout: .nchw, storage: dF)]
    }
}

/// S + Sᵀ for each of `batch` square matrices of side `size`.
private func symmetrised(_ s: TensorStorage, batch: Int, size: Int) -> TensorStorage {
    let result = TensorStorage(count: batch * size * size, zeroed: false)
    for b in 0..<batch {
        let (source, destination) = (s.pointer + b * size * size, result.pointer + b * size * size)
        for i in 0..<size {
            for j in 0..<size { destination[i * size + j] = source[i * size + j] + source[j * size + i] }
        }
    }
    return result
}
