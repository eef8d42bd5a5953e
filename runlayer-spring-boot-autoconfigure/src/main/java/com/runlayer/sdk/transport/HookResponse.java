package com.runlayer.sdk.transport;

/**
 * A 2xx answer from Runlayer, its body read in full within the size bound.
 *
 * @param status the HTTP status
 * @param body the body bytes
 * @param attempts how many attempts the call took
 */
public record HookResponse(int status, byte[] body, int attempts) {
}
