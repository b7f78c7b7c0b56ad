import CDNNL

/// Builders and comparisons for oneDNN memory descriptors (plain C structs in oneDNN 2.6).
enum MemoryDescriptor {
    static func make(dims: [Int], tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let dims64 = dims.map(Int64.init)
        mustSucceed {
            try check(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims64, dnnl_f32, tag),
                      "dnnl_memory_desc_init_by_tag")
        }
        return md
    }

    static func make(dims: [Int], strides: [Int]) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        mustSucceed {
            try check(dnnl_memory_desc_init_by_strides(&md, Int32(dims.count), dims.map(Int64.init),
                                                       dnnl_f32, strides.map(Int64.init)),
                      "dnnl_memory_desc_init_by_strides")
        }
        return md
    }

    static func make(_ shape: Shape, _ layout: Layout) -> dnnl_memory_desc_t {
        make(dims: shape.dims, tag: layout.formatTag)
    }

    /// A descriptor that lets the primitive choose the layout.
    static func any(_ dims: [Int]) -> dnnl_memory_desc_t {
        make(dims: dims, tag: dnnl_format_tag_any)
    }

    static func equal(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
        withUnsafePointer(to: a) { pa in withUnsafePointer(to: b) { pb in dnnl_memory_desc_equal(pa, pb) != 0 } }
    }

    /// Equal for caching a reordered copy: oneDNN's equality ignores parts of a Winograd weight
    /// descriptor (its byte size among them), so Winograd descriptors must match bit for bit.
    static func identical(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
        guard equal(a, b), byteSize(a) == byteSize(b) else { return false }
        guard a.format_kind == dnnl_format_kind_wino else { return true }
        let (wa, wb) = (a.format_desc.wino_desc, b.format_desc.wino_desc)
        return wa.wino_format == wb.wino_format && wa.r == wb.r && wa.alpha == wb.alpha && wa.ic == wb.ic
            && wa.oc == wb.oc && wa.ic_block == wb.ic_block && wa.oc_block == wb.oc_block
            && wa.ic2_block == wb.ic2_block && wa.oc2_block == wb.oc2_block && wa.adj_scale == wb.adj_scale
            && wa.size == wb.size
    }

    static func byteSize(_ md: dnnl_memory_desc_t) -> Int {
        withUnsafePointer(to: md) { Int(dnnl_memory_desc_get_size($0)) }
    }

    /// The activation layout `md` describes, if it is one `Layout` names.
    static func layout(of md: dnnl_memory_desc_t, shape: Shape) -> Layout? {
        Layout.allCases.first { equal(make(shape, $0), md) }
    }
}
