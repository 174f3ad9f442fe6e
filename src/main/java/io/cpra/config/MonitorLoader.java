package io.cpra.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Streams monitors out of YAML/JSON files (also {@code .gz}) and directories of them, validating as it
 * goes. Memory does not grow with the file: monitors are handed to the consumer one at a time, never
 * collected. All errors of all files are reported.
 *
 * <p>A directory contributes its {@code *.yaml, *.yml, *.json} files and their {@code .gz} forms, sorted
 * by name, not recursively; hidden files (starting with a dot) are skipped. Monitor names are unique
 * across all files of one load.
 */
public final class MonitorLoader {

    /** Files from this size on are parsed on a second thread while the caller binds. */
    static final long PIPELINE_BYTES = 1 << 20;
    private static final String[] EXTENSIONS = {".yaml", ".yml", ".json", ".yaml.gz", ".yml.gz", ".json.gz"};

    private MonitorLoader() {}

    /** Loads with {@code ${VAR}} taken from the process environment. */
    public static LoadResult load(List<Path> paths, Capabilities capabilities, Consumer<MonitorSpec> consumer) {
        return load(paths, capabilities, System.getenv(), consumer);
    }

    /** Loads with {@code ${VAR}} taken from {@code env}. */
    public static LoadResult load(List<Path> paths, Capabilities capabilities, Map<String, String> env,
                                  Consumer<MonitorSpec> consumer) {
        Load load = new Load(capabilities, env, consumer);
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                for (Path file : listMonitorFiles(path, load)) load.file(file);
            } else {
                load.file(path);
            }
        }
        return new LoadResult(load.monitors, load.errors.result());
    }

    private static List<Path> listMonitorFiles(Path dir, Load load) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> isMonitorFile(p.getFileName().toString()) && Files.isRegularFile(p))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException | RuntimeException e) {
            load.errors.add(new ConfigError(dir.toString(), 0, 0, null, null, "cannot list the directory: " + e.getMessage()));
            return List.of();
        }
    }

    static boolean isMonitorFile(String name) {
        if (name.startsWith(".")) return false;
        for (String ext : EXTENSIONS) if (name.endsWith(ext)) return true;
        return false;
    }

    /** One load: all files share the name registry, the error list and the interned values. */
    private static final class Load implements TreeSink {
        final ErrorList errors = new ErrorList();
        final NameRegistry names = new NameRegistry();
        final List<String> fileNames = new ArrayList<>();
        final MonitorBinder binder;
        final Consumer<MonitorSpec> consumer;
        long monitors;
        String file;
        int fileIndex;
        int lastPosition;
        boolean inMonitors;

        Load(Capabilities capabilities, Map<String, String> env, Consumer<MonitorSpec> consumer) {
            this.binder = new MonitorBinder(capabilities, env, errors);
            this.consumer = consumer;
        }

        void file(Path path) {
            file = path.toString();
            fileIndex = fileNames.size();
            fileNames.add(file);
            lastPosition = 0;
            String name = path.getFileName() == null ? file : path.getFileName().toString();
            boolean gzip = name.endsWith(".gz");
            boolean json = name.endsWith(".json") || name.endsWith(".json.gz");
            YamlTreeReader[] yaml = new YamlTreeReader[1];
            try (InputStream in = open(path, gzip)) {
                PipelinedReader.Source source = json ? sink -> new JsonTreeReader(in, sink).read()
                        : sink -> YamlTreeReader.read(in, () -> open(path, gzip), sink, yaml);
                // a thread pays off only when there is much to parse
                if (Files.size(path) * (gzip ? 4 : 1) >= PIPELINE_BYTES) PipelinedReader.read(source, this);
                else source.read(this);
            } catch (TreeSink.Abort e) {
                fatal(e.line, e.column, e.getMessage());
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                fatal(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), "JSON syntax error: " + e.getOriginalMessage());
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                String context = e.getContext() == null ? "" : e.getContext() + ": ";
                fatal(mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                        "YAML syntax error: " + context + e.getProblem());
            } catch (YAMLException e) {
                yamlFailure(e, yaml[0]);
            } catch (IOException e) {
                ioFailure(e, 0, 0);
            } catch (StackOverflowError e) {
                fatal(0, 0, "the file is nested too deeply");
            } catch (RuntimeException e) {
                // a bug of ours or the consumer's must cost this file, never the caller
                fatal(0, 0, "internal error while loading: " + e);
            }
            inMonitors = false;
        }

        private static InputStream open(Path path, boolean gzip) throws IOException {
            InputStream raw = Files.newInputStream(path);
            try {
                return gzip ? new GZIPInputStream(raw, 64 * 1024) : raw;
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        private void yamlFailure(YAMLException e, YamlTreeReader yaml) {
            int[] at = yaml == null ? new int[] {0, 0} : yaml.position();
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof Utf8Reader.InvalidUtf8 bad) {
                    fatal(bad.line, bad.column, bad.getMessage());
                    return;
                }
                if (c instanceof IOException io) {
                    ioFailure(io, at[0], at[1]);
                    return;
                }
            }
            fatal(at[0], at[1], "YAML error: " + e.getMessage());
        }

        private void ioFailure(IOException e, int line, int column) {
            String message = switch (e) {
                case Utf8Reader.InvalidUtf8 bad -> {
                    line = bad.line;
                    column = bad.column;
                    yield bad.getMessage();
                }
                case NoSuchFileException x -> "no such file or directory";
                case AccessDeniedException x -> "permission denied";
                case EOFException x -> "the file is truncated (unexpected end of compressed data)";
                case ZipException x -> "not valid gzip data: " + x.getMessage();
                default -> "cannot read: " + e.getMessage();
            };
            fatal(line, column, message);
        }

        private void fatal(int line, int column, String message) {
            String monitor = inMonitors ? "#" + (lastPosition + 1) : null;
            errors.add(new ConfigError(file, line, column, monitor, null, message));
        }

        @Override
        public void monitor(Node node, int position) {
            lastPosition = position;
            inMonitors = false;
            MonitorSpec spec = binder.bind(node, position, file);
            Node.Scalar nameNode = binder.nameNode();
            if (nameNode == null) return;
            // a name inherited through a merge key is written before its monitor: point at the monitor then
            Node at = nameNode.line >= node.line ? nameNode : node;
            // names of monitors with other errors count too, so each duplicate is reported once
            long first = names.register(binder.name(), fileIndex, at.line);
            if (first >= 0) {
                String where = fileNames.get((int) (first >>> 32)) + ":" + (int) first;
                errors.add(new ConfigError(file, at.line, at.column, binder.name(), "name",
                        "duplicate monitor name (first defined at " + where + ")"));
                return;
            }
            if (spec == null) return;
            monitors++;
            consumer.accept(spec);
        }

        @Override
        public void monitorStarting(int position) {
            inMonitors = true;
            lastPosition = position - 1;
        }

        @Override
        public void error(int line, int column, String field, String message) {
            errors.add(new ConfigError(file, line, column, null, field, message));
        }
    }
}
