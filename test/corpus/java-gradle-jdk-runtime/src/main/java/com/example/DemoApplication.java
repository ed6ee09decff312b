package com.example;

public class DemoApplication {
    public static void main(String[] args) {
        System.out.println("demo");
    }
}
