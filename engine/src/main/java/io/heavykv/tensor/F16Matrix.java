package io.heavykv.tensor;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.F;
import static io.heavykv.tensor.VectorKernels.L;
import static io.heavykv.tensor.VectorKernels.half;
import static io.heavykv.tensor.VectorKernels.halfs;

final class F16Matrix extends MappedMatrix {
    F16Matrix(MemorySegment segment, int rows, int cols) {
        super(TensorType.F16, segment, rows, cols);
    }

    @Override
    MatmulInput input() { return MatmulInput.F16; }

    @Override
    float dotAt(long base, float[] x, int xOff) {
        MemorySegment seg = segment;
        int n = cols;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            long o = base + i * 2L;
            a0 = halfs(seg, o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = halfs(seg, o + 2L * L).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
        }
        float s = VectorKernels.sum(a0.add(a1));
        for (; i < n; i++) s += half(seg, base + i * 2L) * x[xOff + i];
        return s;
    }

    @Override
    void dequantizeAt(long base, float[] out, int outOff) {
        int i = 0;
        for (int bound = F.loopBound(cols); i < bound; i += L) halfs(segment, base + i * 2L).intoArray(out, outOff + i);
        for (; i < cols; i++) out[outOff + i] = half(segment, base + i * 2L);
    }
}
