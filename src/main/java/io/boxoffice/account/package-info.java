/**
 * Accounts, passwords and bearer tokens; also the access map of the HTTP API.
 */
@NullMarked
package io.boxoffice.account;

import org.jspecify.annotations.NullMarked;
