package io.cpra.config;

import org.yaml.snakeyaml.events.Event;

/**
 * A pull stream of YAML events, as {@link YamlTreeReader} builds trees from them: SnakeYAML's parser
 * ({@link SnakeYamlEvents}) or the fast reader of the common subset ({@link FastYamlEvents}). Both
 * name kinds with SnakeYAML's {@link Event.ID}, so messages read the same whichever produced them.
 */
interface YamlEvents {

    /** Kind of the next event, without consuming it. */
    Event.ID peek();

    /** Consumes the next event; the accessors below then describe it. */
    Event.ID next();

    /** Scalar text, or the name an alias refers to. */
    String value();

    String anchor();

    String tag();

    /** Whether the scalar was written plain (unquoted), so its type is decided on use. */
    boolean plain();

    /** 1-based position of the event. */
    int line();

    int column();

    /** 1-based current reading position, for failures below the parser (I/O, encoding). */
    int[] position();
}
