package org.spice.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An immutable set of capability bits as SPICE sends them: an array of little-endian uint32 words. */
public final class Capabilities {
    /** More words than any SPICE peer sends; a link message claiming more is invalid. */
    public static final int MAX_WORDS = 64;
    public static final Capabilities NONE = new Capabilities(new int[0]);

    private final int[] words;

    private Capabilities(int[] words) {
        this.words = words;
    }

    public static Capabilities of(int... caps) {
        Capabilities c = NONE;
        for (int cap : caps) {
            c = c.with(cap);
        }
        return c;
    }

    /** The set whose words are exactly {@code words}. */
    public static Capabilities fromWords(int[] words) {
        if (words.length > MAX_WORDS) {
            throw new SpiceProtocolException("capability list of " + words.length + " words exceeds " + MAX_WORDS);
        }
        return new Capabilities(words.clone());
    }

    public Capabilities with(int cap) {
        if (cap < 0 || cap >= MAX_WORDS * 32) {
            throw new IllegalArgumentException("capability " + cap);
        }
        int word = cap >>> 5;
        int[] w = Arrays.copyOf(words, Math.max(words.length, word + 1));
        w[word] |= 1 << (cap & 31);
        return new Capabilities(w);
    }

    public boolean has(int cap) {
        int word = cap >>> 5;
        return cap >= 0 && word < words.length && (words[word] & (1 << (cap & 31))) != 0;
    }

    public int wordCount() {
        return words.length;
    }

    public int word(int index) {
        return words[index];
    }

    /** The capability numbers that are set, in ascending order. */
    public List<Integer> list() {
        List<Integer> caps = new ArrayList<>();
        for (int i = 0; i < words.length * 32; i++) {
            if (has(i)) {
                caps.add(i);
            }
        }
        return caps;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capabilities other && Arrays.equals(trimmed(), other.trimmed());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(trimmed());
    }

    private int[] trimmed() {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        return Arrays.copyOf(words, n);
    }

    @Override
    public String toString() {
        return list().toString();
    }
}
