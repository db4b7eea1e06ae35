package dev.mlops.bench;

import java.util.List;

/** One part of the benchmark ({@code --only} / {@code --skip} name it). */
interface Section {

    String name();

    List<Figure> measure(BenchContext context) throws Exception;
}
