package dev.mlops.ingest;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.text.Text;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever file a dataset URI leads to, the CSV reader ingest checks it with (pipeline-common's {@link CsvTable})
 * either returns a table or throws its own {@link CsvFormatException}, quickly: never another exception (a crashed
 * stage), never a hang. Inputs, from a fixed seed per test so a failure reproduces: arbitrary bytes, text made of
 * CSV's special characters (quotes, line ends, NUL, BOM, escape) under a random cell limit, and real tables written
 * by {@link CsvTable#toBytes()}. Bounded: a few hundred inputs per test, each answered within 5 s.
 */
class DatasetCsvPropertyTest {

    private static final Duration BUDGET = Duration.ofSeconds(5);
    private static final char[] CSV_SPECIALS = {',', '"', '\n', '\r', ' ', '\0', '\uFEFF', '\u001b', 'a', '1'};
    private static final String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String VALUE_CHARS = "ab1 ,\"\n\r";

    @Test
    void anyBytesAreATableOrACsvFormatException() {
        long seed = 31;
        Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            byte[] content = new byte[mostlyShortLength(random, 2_000)];
            random.nextBytes(content);
            within(seed, new String(content, StandardCharsets.ISO_8859_1) + " (bytes as Latin-1)",
                    () -> parsesOrRefuses(content, Long.MAX_VALUE));
        }
    }

    @Test
    void csvLikeTextIsATableOrACsvFormatException() {
        long seed = 37;
        Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            String text = csvLikeText(random);
            long maxCells = 1 + random.nextInt(50);
            within(seed, text + " (max cells " + maxCells + ")", () -> {
                CsvTable table = parsesOrRefuses(text.getBytes(StandardCharsets.UTF_8), maxCells);
                if (table != null) {
                    assertThat((long) table.rows().size() * table.header().size()).isLessThanOrEqualTo(maxCells);
                    assertThat(table.rows()).allSatisfy(row -> assertThat(row).hasSameSizeAs(table.header()));
                }
            });
        }
    }

    @Test
    void aWrittenTableReadsBackUnchanged() {
        long seed = 41;
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            CsvTable table = table(random);
            within(seed, new String(table.toBytes(), StandardCharsets.UTF_8),
                    () -> assertThat(CsvTable.parse(table.toBytes())).isEqualTo(table));
        }
    }

    /** Up to 400 of CSV's special characters (and a letter and a digit). */
    private static String csvLikeText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = mostlyShortLength(random, 400);
        for (int i = 0; i < length; i++) {
            text.append(CSV_SPECIALS[random.nextInt(CSV_SPECIALS.length)]);
        }
        return text.toString();
    }

    /** 0 to {@code max}, short more often than long: only short content is likely to have no NUL (refused as binary). */
    private static int mostlyShortLength(Random random, int max) {
        return random.nextInt(random.nextInt(max + 1) + 1);
    }

    /** 2 to 6 columns named by 1 to 8 letters; up to 20 rows of values up to 6 characters, quotes and line ends too. */
    private static CsvTable table(Random random) {
        int columns = 2 + random.nextInt(5);
        List<String> header = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            header.add(text(random, ALPHA, 1, 8));
        }
        List<List<String>> rows = new ArrayList<>();
        int rowCount = random.nextInt(21);
        for (int r = 0; r < rowCount; r++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                row.add(text(random, VALUE_CHARS, 0, 6));
            }
            rows.add(row);
        }
        return new CsvTable(header, rows);
    }

    private static String text(Random random, String chars, int minLength, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        for (int i = 0; i < length; i++) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }

    /** The table, or null when the reader refused the content with a CsvFormatException. */
    private static CsvTable parsesOrRefuses(byte[] content, long maxCells) {
        try {
            return CsvTable.parse(content, maxCells);
        } catch (CsvFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        }
    }

    /** Runs the check within {@link #BUDGET}; a failure names the seed and the input, escaped. */
    private static void within(long seed, String input, Runnable check) {
        String what = "seed " + seed + ", input " + Text.quote(input, 300);
        try {
            CompletableFuture.runAsync(check).get(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " was not answered within " + BUDGET, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + " was interrupted", e);
        }
    }
}
