package dev.mlops.ingest;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever file a dataset URI leads to, the CSV reader ingest checks it with (pipeline-common's {@link CsvTable})
 * either returns a table or throws its own {@link CsvFormatException}, quickly: never another exception (a crashed
 * stage), never a hang. Bounded inputs: arbitrary bytes, text made of CSV's special characters (quotes, line ends,
 * NUL, BOM, escape) under a random cell limit, and real tables written by {@link CsvTable#toBytes()}.
 */
class DatasetCsvPropertyTest {

    private static final Duration BUDGET = Duration.ofSeconds(5);

    @Property(tries = 500)
    void anyBytesAreATableOrACsvFormatException(@ForAll @Size(max = 2_000) byte[] content) {
        assertParsesOrRefuses(content, Long.MAX_VALUE);
    }

    @Property(tries = 500)
    void csvLikeTextIsATableOrACsvFormatException(@ForAll("csvLikeText") String text,
                                                 @ForAll @LongRange(min = 1, max = 50) long maxCells) {
        CsvTable table = assertParsesOrRefuses(text.getBytes(StandardCharsets.UTF_8), maxCells);
        if (table != null) {
            assertThat((long) table.rows().size() * table.header().size()).isLessThanOrEqualTo(maxCells);
            assertThat(table.rows()).allSatisfy(row -> assertThat(row).hasSameSizeAs(table.header()));
        }
    }

    @Property(tries = 300)
    void aWrittenTableReadsBackUnchanged(@ForAll("tables") CsvTable table) {
        assertThat(CsvTable.parse(table.toBytes())).isEqualTo(table);
    }

    @Provide
    Arbitrary<String> csvLikeText() {
        Arbitrary<Character> special = Arbitraries.of(',', '"', '\n', '\r', ' ', '\0', '\uFEFF', '\u001b', 'a', '1');
        return special.list().ofMaxSize(400).map(chars -> {
            StringBuilder text = new StringBuilder();
            chars.forEach(text::append);
            return text.toString();
        });
    }

    @Provide
    Arbitrary<CsvTable> tables() {
        Arbitrary<String> name = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> value = Arbitraries.strings().withChars("ab1 ,\"\n\r").ofMaxLength(6);
        return Arbitraries.integers().between(2, 6).flatMap(columns -> Combinators.combine(
                name.list().ofSize(columns),
                value.list().ofSize(columns).list().ofMaxSize(20)).as(CsvTable::new));
    }

    /** The table, or null when the reader refused the content with a CsvFormatException. */
    private static CsvTable assertParsesOrRefuses(byte[] content, long maxCells) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return CsvTable.parse(content, maxCells);
                } catch (CsvFormatException refused) {
                    assertThat(refused.getMessage()).isNotBlank();
                    return null;
                }
            }).get(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("parsing took longer than " + BUDGET, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("parsing threw " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
