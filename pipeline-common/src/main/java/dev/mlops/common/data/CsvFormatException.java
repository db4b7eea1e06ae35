package dev.mlops.common.data;

/** Content that is not the CSV a stage expects; the message says where and why. */
public class CsvFormatException extends IllegalArgumentException {
    public CsvFormatException(String message) {
        super(message);
    }
}
