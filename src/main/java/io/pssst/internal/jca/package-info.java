/** The SPI classes behind {@code io.pssst.jca.PssstProvider}; not exported. */
package io.pssst.internal.jca;
