package io.github.webpysession.serializer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Big-endian bytes for the {@link CompactValueCodec}: a growing {@link Writer}, and a
 * {@link Reader} that checks every read against the bytes left, so that forged lengths
 * are refused before anything is allocated.
 */
final class CompactBytes {

	/** The tag of a null, in place of a string or any value. */
	static final int NULL = 0;

	/** The tag of a string whose every char is below 0x100: one byte each. */
	static final int LATIN1 = 1;

	/** The tag of any other string: two bytes a char, so that every char reads back. */
	static final int UTF16 = 2;

	private CompactBytes() {
	}

	/** Appends to a growing array. */
	static final class Writer {

		private byte[] buffer;

		private int length;

		Writer(int capacity) {
			this.buffer = new byte[capacity];
		}

		private void ensure(int more) {
			if (this.length + more > this.buffer.length) {
				this.buffer = Arrays.copyOf(this.buffer, Math.max(this.buffer.length * 2, this.length + more));
			}
		}

		Writer u8(int value) {
			ensure(1);
			this.buffer[this.length++] = (byte) value;
			return this;
		}

		Writer i16(int value) {
			ensure(2);
			this.buffer[this.length++] = (byte) (value >>> 8);
			this.buffer[this.length++] = (byte) value;
			return this;
		}

		Writer i32(int value) {
			ensure(4);
			for (int shift = 24; shift >= 0; shift -= 8) {
				this.buffer[this.length++] = (byte) (value >>> shift);
			}
			return this;
		}

		Writer i64(long value) {
			ensure(8);
			for (int shift = 56; shift >= 0; shift -= 8) {
				this.buffer[this.length++] = (byte) (value >>> shift);
			}
			return this;
		}

		/** An unsigned length, 7 bits a byte. */
		Writer varint(int value) {
			int rest = value;
			while ((rest & ~0x7F) != 0) {
				u8((rest & 0x7F) | 0x80);
				rest >>>= 7;
			}
			return u8(rest);
		}

		/** A length, then the bytes. */
		Writer bytes(byte[] bytes) {
			varint(bytes.length);
			ensure(bytes.length);
			System.arraycopy(bytes, 0, this.buffer, this.length, bytes.length);
			this.length += bytes.length;
			return this;
		}

		/** The chars of a string whose every char is below 0x100, one byte each. */
		Writer latin1(String string) {
			int count = string.length();
			ensure(count);
			for (int i = 0; i < count; i++) {
				this.buffer[this.length++] = (byte) string.charAt(i);
			}
			return this;
		}

		/** A string: its tag, its length in chars, its chars. */
		Writer string(String string) {
			int length = string.length();
			boolean latin1 = true;
			for (int i = 0; i < length && latin1; i++) {
				latin1 = string.charAt(i) < 0x100;
			}
			u8(latin1 ? LATIN1 : UTF16).varint(length);
			if (latin1) {
				return latin1(string);
			}
			for (int i = 0; i < length; i++) {
				i16(string.charAt(i));
			}
			return this;
		}

		Writer nullableString(@Nullable String string) {
			return (string != null) ? string(string) : u8(NULL);
		}

		byte[] toByteArray() {
			return Arrays.copyOf(this.buffer, this.length);
		}

	}

	/** Reads an array, refusing to read past its end. */
	static final class Reader {

		private final byte[] bytes;

		private int position;

		Reader(byte[] bytes, int position) {
			this.bytes = bytes;
			this.position = position;
		}

		int remaining() {
			return this.bytes.length - this.position;
		}

		private void need(long count) {
			if (count > remaining()) {
				throw new UnreadableSessionException("session data ends inside a value (" + count
						+ " more bytes declared, " + remaining() + " left)");
			}
		}

		int peek() {
			need(1);
			return this.bytes[this.position] & 0xFF;
		}

		int u8() {
			need(1);
			return this.bytes[this.position++] & 0xFF;
		}

		int i16() {
			need(2);
			int value = ((this.bytes[this.position] & 0xFF) << 8) | (this.bytes[this.position + 1] & 0xFF);
			this.position += 2;
			return value;
		}

		int i32() {
			need(4);
			int value = 0;
			for (int i = 0; i < 4; i++) {
				value = (value << 8) | (this.bytes[this.position++] & 0xFF);
			}
			return value;
		}

		long i64() {
			need(8);
			long value = 0;
			for (int i = 0; i < 8; i++) {
				value = (value << 8) | (this.bytes[this.position++] & 0xFF);
			}
			return value;
		}

		int varint() {
			int value = 0;
			for (int shift = 0; shift < 35; shift += 7) {
				int b = u8();
				value |= (b & 0x7F) << shift;
				if ((b & 0x80) == 0) {
					if (value < 0 || (shift == 28 && (b & 0x70) != 0)) {
						break;
					}
					return value;
				}
			}
			throw new UnreadableSessionException("session data holds a malformed length");
		}

		/**
		 * A count of elements that take at least {@code bytesEach} bytes each: refused if
		 * the bytes left could not hold them.
		 */
		int count(int bytesEach) {
			int count = varint();
			need((long) count * bytesEach);
			return count;
		}

		/** A length, then that many bytes. */
		byte[] bytes() {
			int length = count(1);
			byte[] read = Arrays.copyOfRange(this.bytes, this.position, this.position + length);
			this.position += length;
			return read;
		}

		/** A string, or throws naming {@code what} if the next value is anything else. */
		String string(String what) {
			int tag = u8();
			if (tag != LATIN1 && tag != UTF16) {
				throw new UnreadableSessionException(
						"session data holds value tag " + tag + " where " + what + " should be");
			}
			return string(tag);
		}

		@Nullable String nullableString(String what) {
			if (peek() == NULL) {
				u8();
				return null;
			}
			return string(what);
		}

		/** The rest of a string whose tag was read. */
		String string(int tag) {
			if (tag == LATIN1) {
				int length = count(1);
				String read = new String(this.bytes, this.position, length, StandardCharsets.ISO_8859_1);
				this.position += length;
				return read;
			}
			int length = count(2);
			char[] chars = new char[length];
			for (int i = 0; i < length; i++) {
				chars[i] = (char) i16();
			}
			return new String(chars);
		}

	}

}
