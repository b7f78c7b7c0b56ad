import Foundation
import ImpastoCore
import Testing
@testable import ImpastoStyle

/// `MemorySize`, the budget, oneDNN's scratchpad rule, the plans' shape and the fitting search.
@Suite("Memory planning")
struct MemoryPlanTests {
    /// A machine like the one the scratchpad sizes below were read on (1 MiB of L2 per core).
    static let machine = MachineMemory(available: 16 << 30, physical: 24 << 30, level2Cache: 1 << 20, threads: 2)

    @Test(arguments: [("12G", 12 << 30), ("800M", 800 << 20), ("1.5G", 3 << 29), ("64k", 64 << 10), ("12GiB", 12 << 30),
                      ("12GB", 12 << 30), ("4096", 4096), (" 2T ", 2 << 40)])
    func sizesParse(_ text: String, _ bytes: Int) throws {
        #expect(try MemorySize(parsing: text).bytes == bytes)
    }

    @Test(arguments: ["", "12Q", "-1G", "0", "G", "nan", "1e30T", "12 G B"])
    func nonSizesAreRefusedNamingTheText(_ text: String) {
        #expect(throws: MemorySizeError.notASize(text)) { try MemorySize(parsing: text) }
    }

    @Test func sizesPrintInTheLargestWholeUnit() {
        #expect(MemorySize(bytes: 15 << 30).description == "15 GiB")
        #expect(MemorySize(bytes: 3 << 29).description == "1.5 GiB")
        #expect(MemorySize(bytes: 800 << 20).description == "800 MiB")
        #expect(MemorySize(bytes: 512).description == "512 bytes")
    }

    @Test func theDefaultBudgetKeepsAMarginOfATenthOrHalfAGibibyte() {
        #expect(Self.machine.defaultBudget.bytes == (16 << 30) - (16 << 30) / 10)
        #expect(MachineMemory(available: 2 << 30, physical: 4 << 30).defaultBudget.bytes == (2 << 30) - (512 << 20))
        #expect(MachineMemory.availableBytes(inMeminfo: "MemTotal: 100 kB\nMemAvailable:    2048 kB\n") == 2 << 20)
        #expect(MachineMemory.availableBytes(inMeminfo: "MemTotal: 100 kB\n") == nil)
    }

    /// Sizes oneDNN 2.6 reported for VGG19's convolutions on the 1 MiB-L2 machine: the tiled
    /// schedule (block1_conv2) stays a few MiB at any size; the whole-image one grows with it.
    @Test(arguments: [(64, 64, 1536, 2048, 7_766_016), (64, 128, 768, 1024, 1_366_425_600),
                      (128, 128, 768, 1024, 1_820_590_080), (512, 512, 96, 128, 157_286_400),
                      (128, 128, 32, 32, 11_010_048), (3, 64, 1536, 2048, 0)])
    func winogradScratchpadsMatchOneDNN(_ inputs: Int, _ outputs: Int, _ height: Int, _ width: Int, _ bytes: Int) {
        let floats = ConvolutionScratchpad.size(inputChannels: inputs, outputChannels: outputs, kernel: 3, stride: 1,
                                                  height: height, width: width, algorithm: .automatic, machine: Self.machine).floats
        #expect(abs(Double(4 * floats - bytes)) <= 0.05 * Double(bytes) + Double(1 << 20), "\(4 * floats) vs \(bytes)")
    }

    @Test func theDirectAlgorithmNeedsNoScratchpad() {
        #expect(ConvolutionScratchpad.size(inputChannels: 128, outputChannels: 128, kernel: 3, stride: 1, height: 768,
                                             width: 1024, algorithm: .direct, machine: Self.machine) == (0, 0))
    }

    static func plan(_ optimizer: OptimizerKind, side: Int, steps: Int = 200) -> MemoryPlan {
        var configuration = StylizeConfiguration(preset: optimizer == .lbfgs ? .recommended : .tutorial)
        configuration.maxDimension = side
        configuration.epochs = 1
        configuration.stepsPerEpoch = steps
        return MemoryPlan.stylize(configuration, contentSize: (4000, 3000), styleSizes: [(4000, 3000)],
                                  convolutions: .automatic, machine: machine)
    }

    /// Doubling the side about quadruples what grows with the pixels; L-BFGS adds its history:
    /// 101 pairs of two image-sized arrays once 200 steps can fill 100.
    @Test func planGrowsWithThePixelsAndLBFGSAddsItsHistory() {
        let (small, large) = (Self.plan(.adam, side: 1024).peak.bytes, Self.plan(.adam, side: 2048).peak.bytes)
        let fixed = MemoryPlan.processBytes + 100 << 20
        #expect(Double(large - fixed) / Double(small - fixed) > 3.5)
        let history = Self.plan(.lbfgs, side: 2048).peak.bytes - large
        let pixels = 3 * 2048 * 1536
        #expect(history > 4 * 2 * 100 * pixels && history < 4 * 2 * 120 * pixels, "\(history)")
        #expect(Self.plan(.lbfgs, side: 2048, steps: 11).peak.bytes < large + 4 * 40 * pixels)
    }

    @Test func fittingFindsTheLargestSideWithinTheBudget() throws {
        let budget = Self.plan(.adam, side: 900).peak
        let refusal = #expect(throws: MemoryPlanError.self) {
            try MemoryFit.fitting(maxDimension: 2048, budget: budget, shrinking: false) { Self.plan(.adam, side: $0) }
        }
        guard case .exceedsBudget(let estimate, let limit, let side?) = refusal else {
            Issue.record("no fitting side in \(String(describing: refusal))")
            return
        }
        #expect(estimate == Self.plan(.adam, side: 2048).peak && limit == budget)
        #expect(side >= 900 && Self.plan(.adam, side: side).peak <= budget && Self.plan(.adam, side: side + 1).peak > budget)
        let fit = try MemoryFit.fitting(maxDimension: 2048, budget: budget, shrinking: true) { Self.plan(.adam, side: $0) }
        #expect(fit.maxDimension == side && fit.shrunkFrom?.maxDimension == 2048)
        let whole = try MemoryFit.fitting(maxDimension: 800, budget: budget, shrinking: false) { Self.plan(.adam, side: $0) }
        #expect(whole.maxDimension == 800 && whole.shrunkFrom == nil)
    }

    @Test func nothingFitsABudgetBelowTheProcessItself() {
        #expect(throws: MemoryPlanError.exceedsBudget(estimate: Self.plan(.adam, side: 512).peak, budget: MemorySize(bytes: 1 << 20),
                                                      largestFittingDimension: nil)) {
            try MemoryFit.fitting(maxDimension: 512, budget: MemorySize(bytes: 1 << 20), shrinking: true) { Self.plan(.adam, side: $0) }
        }
    }

    /// A one-pass network's plan is dominated at large sizes by its activations and scratch,
    /// which grow with the pixels; a narrower TransformerNet needs less.
    @Test func applyPlansGrowWithThePhotoAndTheWidth() {
        func peak(_ network: OnePassArchitecture, _ side: Int) -> Int {
            MemoryPlan.apply(network, photoSize: (side, side * 3 / 4), maxDimension: nil, convolutions: .automatic,
                             machine: Self.machine).peak.bytes
        }
        #expect(peak(.transformerNet(baseChannels: 32), 4096) > 3 * peak(.transformerNet(baseChannels: 32), 1024))
        #expect(peak(.transformerNet(baseChannels: 8), 4096) < peak(.transformerNet(baseChannels: 32), 4096))
        #expect(peak(.multiStyle, 4096) < peak(.arbitrary, 4096))
    }
}
