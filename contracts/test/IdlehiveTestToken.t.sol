// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Test} from "forge-std/Test.sol";
import {IdlehiveTestToken} from "../src/IdlehiveTestToken.sol";

contract IdlehiveTestTokenTest is Test {
    IdlehiveTestToken internal token;
    address internal owner = makeAddr("owner");
    address internal alice = makeAddr("alice");

    function setUp() public {
        token = new IdlehiveTestToken(owner);
    }

    function test_metadata() public view {
        assertEq(token.name(), "Idlehive Test Token");
        assertEq(token.symbol(), "tHIVE");
        assertEq(token.decimals(), 18);
        assertEq(token.totalSupply(), 0);
        assertEq(token.owner(), owner);
    }

    function test_mint_byTheOwner() public {
        vm.prank(owner);
        token.mint(alice, 5 ether);
        assertEq(token.balanceOf(alice), 5 ether);
        assertEq(token.totalSupply(), 5 ether);
    }

    function test_mint_revertsForAnyoneElse() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        token.mint(alice, 5 ether);
    }

    function testFuzz_transfersMoveExactAmounts(uint256 minted, uint256 sent, address to) public {
        vm.assume(to != address(0) && to != alice);
        minted = bound(minted, 0, type(uint128).max);
        sent = bound(sent, 0, minted);
        vm.prank(owner);
        token.mint(alice, minted);

        vm.prank(alice);
        assertTrue(token.transfer(to, sent));
        assertEq(token.balanceOf(alice), minted - sent);
        assertEq(token.balanceOf(to), sent);
        assertEq(token.totalSupply(), minted);
    }
}
