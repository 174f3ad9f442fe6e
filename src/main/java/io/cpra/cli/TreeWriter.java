package io.cpra.cli;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams a document of nested maps, lists of maps and scalar fields, as JSON or YAML, so one
 * generator writes both formats. Nothing is held in memory beyond the current line.
 */
interface TreeWriter extends Closeable {

    /** Opens the root map, or a map that is the next element of the open list. */
    void startObject() throws IOException;

    /** Opens a map under {@code field} of the open map; it must get at least one field. */
    void startObject(String field) throws IOException;

    /** Opens a list of maps under {@code field} of the open map; it must get at least one element. */
    void startArray(String field) throws IOException;

    void endObject() throws IOException;

    void endArray() throws IOException;

    void field(String name, String value) throws IOException;

    void field(String name, long value) throws IOException;

    void field(String name, boolean value) throws IOException;
}
