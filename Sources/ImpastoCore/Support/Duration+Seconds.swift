extension Duration {
    /// This duration in seconds, as a Double (for rates, ETAs and logs).
    public var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
