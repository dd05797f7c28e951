@NullMarked
package io.boxoffice.live.web;

import org.jspecify.annotations.NullMarked;
