/** The {@code pssst} command-line tool; not exported. */
package io.pssst.cli;
