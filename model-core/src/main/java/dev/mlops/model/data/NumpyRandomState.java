package dev.mlops.model.data;

/**
 * numpy's legacy {@code RandomState(seed)} (MT19937) for the draws scikit-learn's splitters make:
 * {@link #permutation(int)}, {@link #shuffle(int[])} and {@link #choice(int[], int)}. With the same seed, a split
 * selects the same rows as scikit-learn's {@code train_test_split(random_state=seed)}.
 */
public final class NumpyRandomState {

    private static final int N = 624;
    private static final int M = 397;
    private static final long MAX_SEED = 0xFFFFFFFFL;

    private final int[] state = new int[N];
    private int position;

    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > MAX_SEED) {
            throw new IllegalArgumentException("the seed must be between 0 and " + MAX_SEED + " as numpy's, got " + seed);
        }
        state[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
        position = N;
    }

    /** {@code RandomState.permutation(n)}: a shuffled {@code 0..n-1}. */
    public int[] permutation(int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        shuffle(values);
        return values;
    }

    /** {@code RandomState.shuffle(x)} of a 1-d array, in place: Fisher-Yates from the end. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = (int) interval(i);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    /** {@code RandomState.choice(values, size, replace=False)}: the first {@code size} of a permutation. */
    public int[] choice(int[] values, int size) {
        int[] order = permutation(values.length);
        int[] chosen = new int[size];
        for (int i = 0; i < size; i++) {
            chosen[i] = values[order[i]];
        }
        return chosen;
    }

    /** numpy's {@code random_interval}: uniform in {@code 0..max} by masked rejection of 32-bit draws. */
    private long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = nextUnsignedInt() & mask;
        } while (value > max);
        return value;
    }

    private long nextUnsignedInt() {
        if (position >= N) {
            generate();
        }
        int y = state[position++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xFFFFFFFFL;
    }

    private void generate() {
        for (int k = 0; k < N; k++) {
            int y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
            int next = state[(k + M) % N] ^ (y >>> 1);
            state[k] = (y & 1) == 0 ? next : next ^ 0x9908b0df;
        }
        position = 0;
    }
}
