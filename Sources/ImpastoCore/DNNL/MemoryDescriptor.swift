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

    static func byteSize(_ md: dnnl_memory_desc_t) -> Int {
        withUnsafePointer(to: md) { Int(dnnl_memory_desc_get_size($0)) }
    }

    /// The activation layout `md` describes, if it is one `Layout` names.
    static func layout(of md: dnnl_memory_desc_t, shape: Shape) -> Layout? {
        Layout.allCases.first { equal(make(shape, $0), md) }
    }
}
