// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title RFC9162 — Merkle consistency-proof verification (Certificate Transparency v2)
/// @notice Verifies that a Merkle tree head `(second, secondHash)` is an append-only
/// extension of `(first, firstHash)`, using the tree of RFC 9162 §2.1: SHA-256, leaf hash
/// `SHA-256(0x00 ‖ entry)`, interior node `SHA-256(0x01 ‖ left ‖ right)`.
/// @dev The verification algorithm is RFC 9162 §2.1.4.2, step by step. Hashing goes through
/// the SHA-256 precompile (address 0x02) with a 65-byte buffer in free memory, which avoids the
/// per-call memory growth of `sha256(abi.encodePacked(...))` inside the loop.
library RFC9162 {
    /// @notice Returns whether `proof` proves that the tree of size `second` with root
    /// `secondHash` extends the tree of size `first` with root `firstHash`.
    /// @dev Preconditions (checked, returning false): `0 < first < second`, proof non-empty.
    /// Equal sizes are rejected here on purpose: callers decide what an unchanged head means.
    /// @param first Size of the older tree (number of leaves).
    /// @param second Size of the newer tree.
    /// @param firstHash Root hash of the older tree.
    /// @param secondHash Root hash of the newer tree.
    /// @param proof The consistency path as produced by RFC 9162 §2.1.4.1.
    /// @return True when the proof is valid.
    function verifyConsistency(
        uint256 first,
        uint256 second,
        bytes32 firstHash,
        bytes32 secondHash,
        bytes32[] calldata proof
    ) internal view returns (bool) {
        // §2.1.4.2 step 1: an empty path never proves a strict extension.
        if (first == 0 || first >= second || proof.length == 0) return false;

        // Step 2: if `first` is an exact power of 2, `firstHash` is implicitly the path's head.
        // We model "prepend" with an index offset instead of copying the calldata array.
        uint256 i;
        bytes32 fr;
        if (first & (first - 1) == 0) {
            fr = firstHash;
        } else {
            fr = proof[0];
            i = 1;
        }
        bytes32 sr = fr;

        // Step 3–4: fn = first − 1, sn = second − 1, then drop the common all-ones suffix of fn.
        uint256 fn = first - 1;
        uint256 sn = second - 1;
        while (fn & 1 == 1) {
            fn >>= 1;
            sn >>= 1;
        }

        // Step 6: fold the remaining path elements.
        for (; i < proof.length; ++i) {
            if (sn == 0) return false; // 6a
            bytes32 c = proof[i];
            if (fn & 1 == 1 || fn == sn) {
                // 6b: c is a left sibling on both paths.
                fr = hashChildren(c, fr);
                sr = hashChildren(c, sr);
                // 6b.ii: climb past the levels where the old tree's node is a left child.
                while (fn & 1 == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                // 6c: c is a right sibling that only the new tree has.
                sr = hashChildren(sr, c);
            }
            fn >>= 1; // 6d
            sn >>= 1;
        }

        // Step 7: both roots must match and the new tree's path must be exhausted.
        return sn == 0 && fr == firstHash && sr == secondHash;
    }

    /// @notice RFC 9162 §2.1.1 interior node hash `SHA-256(0x01 ‖ left ‖ right)`.
    /// @param left Left child hash.
    /// @param right Right child hash.
    /// @return h The parent hash.
    function hashChildren(bytes32 left, bytes32 right) internal view returns (bytes32 h) {
        assembly ("memory-safe") {
            // Scratch buffer at the free-memory pointer; not allocated because nothing
            // outlives this block (Solidity docs, "Memory safety").
            let ptr := mload(0x40)
            mstore8(ptr, 0x01)
            mstore(add(ptr, 0x01), left)
            mstore(add(ptr, 0x21), right)
            // The SHA-256 precompile only fails when out of gas; surface that as a revert.
            if iszero(staticcall(gas(), 0x02, ptr, 0x41, 0x00, 0x20)) {
                revert(0, 0)
            }
            h := mload(0x00)
        }
    }
}
