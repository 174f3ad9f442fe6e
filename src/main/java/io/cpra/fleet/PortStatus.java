package io.cpra.fleet;

/**
 * One fleet port as the admin endpoint reports it.
 *
 * @param listening false once killed: connections are refused
 * @param failing   its health answers 503 now, by fail or by flap
 * @param flapping  it takes part in the current flap
 */
public record PortStatus(int port, boolean listening, boolean failing, boolean flapping) {}
