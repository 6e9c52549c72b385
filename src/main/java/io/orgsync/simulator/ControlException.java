package io.orgsync.simulator;

/** A control request the simulator refuses: answered with the status and {@code {"error": message}}. */
final class ControlException extends RuntimeException {
    final int status;

    private ControlException(int status, String message) {
        super(message);
        this.status = status;
    }

    static ControlException badRequest(String message) {
        return new ControlException(400, message);
    }

    static ControlException notFound(String message) {
        return new ControlException(404, message);
    }

    static ControlException conflict(String message) {
        return new ControlException(409, message);
    }
}
