import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels

extension Stylization {
    /// The image sizes of a coarse-to-fine run, smallest first, ending at `width × height`:
    /// each scale is √2 larger than the one before (Gatys et al. 2017 and neural-style's
    /// multires scripts use the same ratio).
    public static func scaleSizes(width: Int, height: Int, scales: Int) -> [(width: Int, height: Int)] {
        (0..<max(scales, 1)).map { index in
            let factor = pow(2.0, -Double(max(scales, 1) - 1 - index) / 2)
            return (max(1, Int((Double(width) * factor).rounded())), max(1, Int((Double(height) * factor).rounded())))
        }
    }

    /// Coarse-to-fine: optimises `configuration.scales − 1` smaller versions of the problem first
    /// (`configuration.scaleSteps` steps each), each starting from the previous result upsampled;
    /// returns the full-size run, started from the last one's result. The style image is resized
    /// in proportion at every scale (times `configuration.styleScale`), so its Grams describe
    /// brush strokes of the same relative size; targets are recomputed at each scale.
    public static func coarseToFine(
        configuration: StylizeConfiguration, network: VGG19, content: Tensor, style: Tensor,
        shouldStop: () -> Bool = { false }, onStep: (_ scale: Int, StylizeProgress) throws -> Void
    ) throws -> Stylization {
        try coarseToFine(configuration: configuration, network: network, content: content, styles: [style],
                         shouldStop: shouldStop, onStep: onStep)
    }

    public static func coarseToFine(
        configuration: StylizeConfiguration, network: VGG19, content: Tensor, styles: [Tensor],
        shouldStop: () -> Bool = { false }, onStep: (_ scale: Int, StylizeProgress) throws -> Void
    ) throws -> Stylization {
        let sizes = scaleSizes(width: content.shape.w, height: content.shape.h, scales: configuration.scales)
        var coarse = configuration
        coarse.epochs = 1
        coarse.stepsPerEpoch = configuration.scaleSteps
        var image: Tensor?
        for (index, size) in sizes.dropLast().enumerated() {
            let factor = Double(size.width) / Double(content.shape.w)
            let scaledContent = try ImageFile.resized(content, width: size.width, height: size.height)
            let scaledStyles = try styles.map { try resizedStyle($0, factor: factor * Double(configuration.styleScale)) }
            var stylization = try Stylization(configuration: coarse, network: network, content: scaledContent,
                                              styles: scaledStyles, startingImage: image)
            let finished = try stylization.run(shouldStop: shouldStop) { try onStep(index + 1, $0) }
            image = stylization.image
            if !finished { break }
        }
        return try fullSize(configuration: configuration, network: network, content: content, styles: styles,
                            startingImage: image)
    }

    /// The run at the content's own size, with the style images scaled by `styleScale`: the last
    /// stage of coarse-to-fine, and the run a checkpoint resumes.
    public static func fullSize(configuration: StylizeConfiguration, network: VGG19, content: Tensor,
                                styles: [Tensor], startingImage: Tensor? = nil) throws -> Stylization {
        let finalStyles = configuration.styleScale == 1 ? styles
            : try styles.map { try resizedStyle($0, factor: Double(configuration.styleScale)) }
        return try Stylization(configuration: configuration, network: network, content: content, styles: finalStyles,
                               startingImage: startingImage)
    }

    private static func resizedStyle(_ style: Tensor, factor: Double) throws -> Tensor {
        let width = max(16, Int((Double(style.shape.w) * factor).rounded()))
        let height = max(16, Int((Double(style.shape.h) * factor).rounded()))
        return try ImageFile.resized(style, width: width, height: height)
    }
}
