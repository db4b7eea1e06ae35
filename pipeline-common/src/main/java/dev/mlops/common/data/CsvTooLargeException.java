package dev.mlops.common.data;

/** A CSV file with more data cells (rows × columns) than the reader was allowed to take. */
public class CsvTooLargeException extends CsvFormatException {

    private final long maxCells;

    public CsvTooLargeException(long maxCells, int columns) {
        super("the file has more than " + maxCells + " cells (rows × columns, here " + columns + " columns)");
        this.maxCells = maxCells;
    }

    public long maxCells() {
        return maxCells;
    }
}
