// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PayoutVault} from "../src/PayoutVault.sol";
import {TypedData} from "./utils/TypedData.sol";
import {VaultTest} from "./utils/VaultTest.sol";

/// What a valid voucher is: the EIP-712 domain and types, the chain and vault it binds, the
/// signer it must come from, and the signature forms that are refused.
contract PayoutVaultSignaturesTest is VaultTest {
    // ------------------------------------------------------------------ the typed data

    function test_typehashesAreTheDocumentedTypeStrings() public view {
        assertEq(vault.VOUCHER_TYPEHASH(), keccak256("Voucher(address account,uint256 cumulativeAmount)"));
        assertEq(
            vault.WITHDRAWAL_TYPEHASH(),
            keccak256(
                "Withdrawal(address account,address recipient,uint256 cumulativeAmount,uint256 maxFee,uint256 deadline,uint256 nonce)"
            )
        );
    }

    function test_domainIsNameVersionChainAndVault() public view {
        (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        ) = vault.eip712Domain();

        assertEq(fields, hex"0f"); // name, version, chainId, verifyingContract; no salt
        assertEq(name, "Idlehive PayoutVault");
        assertEq(version, "1");
        assertEq(vault.DOMAIN_NAME(), name);
        assertEq(vault.DOMAIN_VERSION(), version);
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, address(vault));
        assertEq(salt, bytes32(0));
        assertEq(extensions.length, 0);
        assertEq(vault.domainSeparator(), TypedData.domainSeparator(block.chainid, address(vault)));
    }

    function test_digestsMatchTheTypedDataWrittenOut() public view {
        assertEq(
            vault.voucherDigest(alice, 123 ether),
            TypedData.voucherDigest(block.chainid, address(vault), alice, 123 ether)
        );
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 123 ether, 2 ether);
        assertEq(vault.withdrawalDigest(w), TypedData.withdrawalDigest(block.chainid, address(vault), w));
    }

    /// Vectors produced by ethers v6 (TypedDataEncoder.hash and Wallet.signTypedData) for a
    /// vault at anvil's first contract address on chain 31337, signed with anvil's first two
    /// dev keys. The vault must accept exactly what the TypeScript side produces.
    function test_acceptsTypedDataSignedByEthers() public {
        address fixedVault = 0x5FbDB2315678afecb367f032d93F642f64180aa3;
        uint256 anvilKey0 = 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80;
        uint256 anvilKey1 = 0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d;
        address coordinator = vm.addr(anvilKey0);
        address account = vm.addr(anvilKey1);
        address recipient = 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC;
        vm.chainId(31337);
        vm.warp(1_750_000_000);
        deployCodeTo("PayoutVault.sol:PayoutVault", abi.encode(token, owner, coordinator), fixedVault);
        PayoutVault anvilVault = PayoutVault(fixedVault);
        vm.prank(owner);
        token.mint(fixedVault, 5 ether);

        assertEq(anvilVault.domainSeparator(), 0x673a08dbacd5ae9cf98bdd9396317a26af7eebbbfe3581a12545ef4ec1569438);
        assertEq(
            anvilVault.voucherDigest(account, 5 ether),
            0x35c2cc323545f3531177d0d67c3f39178c0f11d43ec7b8611322b8f03a8c4b6f
        );
        bytes memory voucherFromEthers =
            hex"fd3221873c83ebd86f560eecf184df0f3bdf9d43bc955603ff323ce321f33a96020679a76e568807b185e09992dd1d815fff83db755faebcbf793bce5af7271d1b";
        assertEq(signDigest(anvilKey0, anvilVault.voucherDigest(account, 5 ether)), voucherFromEthers);

        PayoutVault.Withdrawal memory w = PayoutVault.Withdrawal({
            account: account,
            recipient: recipient,
            cumulativeAmount: 5 ether,
            maxFee: 0.1 ether,
            deadline: 1_750_003_600,
            nonce: 0
        });
        assertEq(anvilVault.withdrawalDigest(w), 0x8700f82ab41d6439fc905dabe6277a5c45e32036c8e8a26dabe73bbb06bab487);
        bytes memory withdrawalFromEthers =
            hex"e7710769337b8872f123af29c34f07c06c9b772c01f0dae5066a2ee8210953472c9fdafae16a8c5a5039bee8c2295e40ca0e9dc533c127b8d7a1b719104472451b";

        vm.prank(relayer);
        anvilVault.relayedClaim(w, 0.1 ether, voucherFromEthers, withdrawalFromEthers);
        assertEq(token.balanceOf(recipient), 4.9 ether);
        assertEq(token.balanceOf(relayer), 0.1 ether);
    }

    // ------------------------------------------------------------------ chain and vault binding

    function test_claim_revertsAfterTheChainIdChanges() public {
        bytes memory signature = voucher(alice, 100 ether);
        vm.chainId(block.chainid + 1);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, signature);
    }

    function test_claim_revertsForAVoucherSignedForAnotherChain() public {
        bytes memory otherChain =
            signDigest(signerKey, TypedData.voucherDigest(block.chainid + 1, address(vault), alice, 100 ether));

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, otherChain);
    }

    function test_domainSeparatorFollowsTheChainId() public {
        bytes32 before = vault.domainSeparator();
        vm.chainId(10);
        assertEq(vault.domainSeparator(), TypedData.domainSeparator(10, address(vault)));
        assertTrue(vault.domainSeparator() != before);
    }

    function test_claim_revertsForAVoucherSignedForAnotherVault() public {
        PayoutVault other = new PayoutVault(token, owner, signer);
        bytes memory forOther = voucherBy(signerKey, address(other), alice, 100 ether);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, forOther);
    }

    // ------------------------------------------------------------------ signature forms

    function test_claim_revertsForAMalleatedHighSSignature() public {
        bytes memory signature = voucher(alice, 100 ether);
        bytes memory malleated = TypedData.malleate(signature);

        // ecrecover itself accepts the twin and returns the signer: only the low-s rule stops it.
        bytes32 digest = vault.voucherDigest(alice, 100 ether);
        (bytes32 r, bytes32 s, uint8 v) = split(malleated);
        assertEq(ecrecover(digest, v, r, s), signer);
        assertGt(uint256(s), TypedData.SECP256K1_N / 2);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, malleated);

        vault.claim(alice, 100 ether, signature);
        assertEq(token.balanceOf(alice), 100 ether);
    }

    function test_claim_revertsForACompactSignature() public {
        (bytes32 r, bytes32 vs) = vm.signCompact(signerKey, vault.voucherDigest(alice, 100 ether));
        bytes memory compact = abi.encodePacked(r, vs);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, compact);
    }

    function test_claim_revertsForMalformedSignatures() public {
        bytes memory signature = voucher(alice, 100 ether);
        bytes memory truncated = new bytes(64);
        for (uint256 i = 0; i < 64; i++) {
            truncated[i] = signature[i];
        }
        bytes memory badV = bytes.concat(truncated, bytes1(uint8(29)));

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, "");
        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, truncated);
        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, badV);
        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, new bytes(65));
    }

    function test_claim_revertsForAVoucherSignedByAnotherKey() public {
        bytes memory byAlice = voucherBy(aliceKey, address(vault), alice, 100 ether);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, byAlice);
    }

    function test_claim_revertsForAnEthSignedMessageInsteadOfTypedData() public {
        bytes32 personal =
            keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", vault.voucherDigest(alice, 100 ether)));
        bytes memory signature = signDigest(signerKey, personal);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, signature);
    }

    // ------------------------------------------------------------------ signer rotation

    function test_rotatedOutSignersVouchersAreRefused() public {
        bytes memory fromOldKey = voucher(alice, 100 ether);
        (address newSigner, uint256 newKey) = makeAddrAndKey("coordinator-2");
        vm.prank(owner);
        vault.setSigner(newSigner);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 100 ether, fromOldKey);
        assertFalse(vault.isValidVoucher(alice, 100 ether, fromOldKey));

        vault.claim(alice, 100 ether, voucherBy(newKey, address(vault), alice, 100 ether));
        assertEq(token.balanceOf(alice), 100 ether);
    }

    function test_whatWasClaimedSurvivesARotation() public {
        vault.claim(alice, 100 ether, voucher(alice, 100 ether));
        (address newSigner, uint256 newKey) = makeAddrAndKey("coordinator-2");
        vm.prank(owner);
        vault.setSigner(newSigner);

        bytes memory reSigned = voucherBy(newKey, address(vault), alice, 100 ether);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.NothingToClaim.selector, alice, 100 ether));
        vault.claim(alice, 100 ether, reSigned);

        vault.claim(alice, 130 ether, voucherBy(newKey, address(vault), alice, 130 ether));
        assertEq(token.balanceOf(alice), 130 ether);
    }

    function test_rotatingBackRestoresTheOldKey() public {
        bytes memory fromOldKey = voucher(alice, 100 ether);
        vm.startPrank(owner);
        vault.setSigner(makeAddr("coordinator-2"));
        vault.setSigner(signer);
        vm.stopPrank();

        vault.claim(alice, 100 ether, fromOldKey);
        assertEq(token.balanceOf(alice), 100 ether);
    }

    function split(bytes memory signature) private pure returns (bytes32 r, bytes32 s, uint8 v) {
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
    }
}
