package io.cpra.actions;

/** One try of an intervention (one process, one HTTP call); {@link RetryingAction} repeats it. */
interface Attempt {

    /** Must return within its timeout; an interrupt means the run is being abandoned. */
    Outcome run(ActionJob job) throws InterruptedException;

    /**
     * @param error  null on success, else a short reason such as {@code exit 3}
     * @param output what the process printed or the server answered, bounded, may be empty
     */
    record Outcome(String error, String output) {
        static Outcome ok(String output) { return new Outcome(null, output); }

        static Outcome failed(String error, String output) { return new Outcome(error, output); }

        boolean success() { return error == null; }
    }
}
