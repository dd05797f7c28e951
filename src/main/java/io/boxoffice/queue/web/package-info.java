/** The queue's HTTP operations, and the stream of a buyer's place. */
@NullMarked
package io.boxoffice.queue.web;

import org.jspecify.annotations.NullMarked;
