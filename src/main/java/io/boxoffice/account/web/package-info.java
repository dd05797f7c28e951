@NullMarked
package io.boxoffice.account.web;

import org.jspecify.annotations.NullMarked;
