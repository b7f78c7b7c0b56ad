import ImpastoCore
import ImpastoImage

extension MemoryFit {
    /// A stylisation's fit: `configuration` as given if it fits `budget`, else (with `shrinking`)
    /// with the largest `maxDimension` that does. Image sizes are those of the files.
    public static func stylize(_ configuration: StylizeConfiguration, contentSize: (width: Int, height: Int),
                               styleSizes: [(width: Int, height: Int)], budget: MemorySize, shrinking: Bool,
                               convolutions: ConvolutionAlgorithm = .current,
                               machine: MachineMemory = .current) throws(MemoryPlanError) -> MemoryFit {
        let longest = ([contentSize] + styleSizes).map { max($0.width, $0.height) }.max() ?? 0
        return try fitting(maxDimension: min(configuration.maxDimension, longest), budget: budget, shrinking: shrinking) { side in
            var shrunk = configuration
            shrunk.maxDimension = side
            return MemoryPlan.stylize(shrunk, contentSize: contentSize, styleSizes: styleSizes, convolutions: convolutions,
                                      machine: machine)
        }
    }

    /// A one-pass run's fit, planned for the largest of the photos (files' sizes) once shrunk to
    /// `maxDimension` (nil: their own size); shrinking lowers `maxDimension` for every photo.
    public static func apply(_ network: OnePassArchitecture, photoSizes: [(width: Int, height: Int)], maxDimension: Int?,
                             budget: MemorySize, shrinking: Bool, convolutions: ConvolutionAlgorithm = .current,
                             machine: MachineMemory = .current) throws(MemoryPlanError) -> MemoryFit? {
        func pixels(_ size: (width: Int, height: Int), _ side: Int) -> Int {
            let fitted = ImageFile.fittedSize(width: size.width, height: size.height, maxDimension: side)
            return fitted.width * fitted.height
        }
        let longest = photoSizes.map { max($0.width, $0.height) }.max() ?? 0
        guard longest > 0 else { return nil }
        return try fitting(maxDimension: min(maxDimension ?? longest, longest), budget: budget, shrinking: shrinking) { side in
            let largest = photoSizes.max { pixels($0, side) < pixels($1, side) }!
            return MemoryPlan.apply(network, photoSize: largest, maxDimension: side, convolutions: convolutions,
                                    machine: machine)
        }
    }
}
