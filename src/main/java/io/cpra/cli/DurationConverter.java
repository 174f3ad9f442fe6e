package io.cpra.cli;

import io.cpra.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line durations in the monitor-file style: {@code 10s}, {@code 500ms}, {@code 1m30s}. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            long nanos = Durations.parse(value);
            if (nanos <= 0) throw new TypeConversionException("'" + value + "' must be a positive duration");
            return Duration.ofNanos(nanos);
        } catch (Durations.Invalid e) {
            throw new TypeConversionException("'" + value + "': " + e.getMessage());
        }
    }
}
