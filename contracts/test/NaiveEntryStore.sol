// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title NaiveEntryStore — TEST ONLY: the baseline that stores every entry hash on chain
/// @notice Used by bench/gas.ts to show what anchoring one root per batch saves over writing
/// each leaf hash to storage (one 32-byte slot per entry).
contract NaiveEntryStore {
    mapping(bytes32 jobId => bytes32[]) private _entries;

    /// @notice Leaf hashes were appended for `jobId`.
    event EntriesStored(bytes32 indexed jobId, uint256 count, uint256 size);

    /// @notice Appends `leafHashes` to `jobId`'s stored list.
    /// @param jobId The job.
    /// @param leafHashes RFC 9162 leaf hashes, in log order.
    function storeEntries(bytes32 jobId, bytes32[] calldata leafHashes) external {
        bytes32[] storage list = _entries[jobId];
        for (uint256 i = 0; i < leafHashes.length; ++i) list.push(leafHashes[i]);
        emit EntriesStored(jobId, leafHashes.length, list.length);
    }

    /// @notice Number of stored entries of `jobId`.
    /// @param jobId The job.
    /// @return The count.
    function size(bytes32 jobId) external view returns (uint256) {
        return _entries[jobId].length;
    }
}
