package io.vtep.core.api;

/**
 * A request that cannot be done as asked, with the HTTP status that says why (400 bad input, 404
 * no such VNI or entry, 409 conflict, 503 no room): answered as a JSON error with the message.
 */
final class ApiProblem extends RuntimeException
{
    private final int status;

    ApiProblem(final int status, final String message)
    {
        super(message, null, false, false);
        this.status = status;
    }

    int status()
    {
        return status;
    }

    ApiResponse response()
    {
        return ApiResponse.jsonError(status, getMessage());
    }
}
